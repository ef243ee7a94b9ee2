/**
 * The cards' data files (cards/*.json), bundled by Vite's glob: a file added later is picked up with no
 * code change. Kept apart from card-data.ts so the reading stays testable outside Vite.
 */
import { readCardData } from './card-data.js';

const FILES = import.meta.glob<unknown>('../../../cards/*.json', { eager: true, import: 'default' });

export const CARD_DATA = readCardData(FILES);
