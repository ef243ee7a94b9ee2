export {
  readBundle,
  readResource,
  readResources,
  type ReadBundle,
  type ReadResult,
  type Unreadable,
} from './read.js';
export { storable } from './primitives.js';
