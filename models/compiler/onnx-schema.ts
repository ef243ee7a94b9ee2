/**
 * The subset of onnx.proto Augur writes, defined by protobufjs reflection (no .proto file, no codegen).
 *
 * Field numbers are exactly those of onnx/onnx.proto (ONNX IR v8 / release 1.13+,
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto): ModelProto, OperatorSetIdProto,
 * StringStringEntryProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto,
 * TypeProto (+ TypeProto.Tensor), TensorShapeProto (+ Dimension). Fields Augur never writes
 * (training_info, functions, sparse tensors, segments, external data…) are left out; a reader ignores them.
 */
import protobuf from 'protobufjs';

type FieldSpec = readonly [name: string, id: number, type: string, rule?: 'repeated'];

function message(name: string, fields: readonly FieldSpec[]): protobuf.Type {
  const t = new protobuf.Type(name);
  for (const [fname, id, type, rule] of fields) t.add(new protobuf.Field(fname, id, type, rule));
  return t;
}

const root = new protobuf.Root();
const onnx = new protobuf.Namespace('onnx');
root.add(onnx);

// onnx.proto: message OperatorSetIdProto { string domain = 1; int64 version = 2; }
onnx.add(
  message('OperatorSetIdProto', [
    ['domain', 1, 'string'],
    ['version', 2, 'int64'],
  ]),
);
// onnx.proto: message StringStringEntryProto { string key = 1; string value = 2; }
onnx.add(
  message('StringStringEntryProto', [
    ['key', 1, 'string'],
    ['value', 2, 'string'],
  ]),
);

// onnx.proto: message TensorShapeProto { message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } } repeated Dimension dim = 1; }
const dimension = message('Dimension', [
  ['dimValue', 1, 'int64'],
  ['dimParam', 2, 'string'],
]);
const shape = message('TensorShapeProto', [['dim', 1, 'Dimension', 'repeated']]);
shape.add(dimension);
onnx.add(shape);

// onnx.proto: message TypeProto { message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; } oneof value { Tensor tensor_type = 1; } }
const tensorType = message('Tensor', [
  ['elemType', 1, 'int32'],
  ['shape', 2, 'TensorShapeProto'],
]);
const typeProto = message('TypeProto', [['tensorType', 1, 'Tensor']]);
typeProto.add(tensorType);
onnx.add(typeProto);

// onnx.proto: message ValueInfoProto { string name = 1; TypeProto type = 2; string doc_string = 3; }
onnx.add(
  message('ValueInfoProto', [
    ['name', 1, 'string'],
    ['type', 2, 'TypeProto'],
    ['docString', 3, 'string'],
  ]),
);

// onnx.proto: message TensorProto { repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9; string doc_string = 12; }
onnx.add(
  message('TensorProto', [
    ['dims', 1, 'int64', 'repeated'],
    ['dataType', 2, 'int32'],
    ['name', 8, 'string'],
    ['rawData', 9, 'bytes'],
    ['docString', 12, 'string'],
  ]),
);

// onnx.proto: message AttributeProto { string name = 1; float f = 2; int64 i = 3; bytes s = 4; TensorProto t = 5;
//   repeated float floats = 7; repeated int64 ints = 8; AttributeType type = 20; }
onnx.add(
  message('AttributeProto', [
    ['name', 1, 'string'],
    ['f', 2, 'float'],
    ['i', 3, 'int64'],
    ['s', 4, 'bytes'],
    ['t', 5, 'TensorProto'],
    ['floats', 7, 'float', 'repeated'],
    ['ints', 8, 'int64', 'repeated'],
    ['type', 20, 'int32'],
  ]),
);

// onnx.proto: message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3;
//   string op_type = 4; repeated AttributeProto attribute = 5; string doc_string = 6; string domain = 7; }
onnx.add(
  message('NodeProto', [
    ['input', 1, 'string', 'repeated'],
    ['output', 2, 'string', 'repeated'],
    ['name', 3, 'string'],
    ['opType', 4, 'string'],
    ['attribute', 5, 'AttributeProto', 'repeated'],
    ['docString', 6, 'string'],
    ['domain', 7, 'string'],
  ]),
);

// onnx.proto: message GraphProto { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
//   string doc_string = 10; repeated ValueInfoProto input = 11; output = 12; value_info = 13; }
onnx.add(
  message('GraphProto', [
    ['node', 1, 'NodeProto', 'repeated'],
    ['name', 2, 'string'],
    ['initializer', 5, 'TensorProto', 'repeated'],
    ['docString', 10, 'string'],
    ['input', 11, 'ValueInfoProto', 'repeated'],
    ['output', 12, 'ValueInfoProto', 'repeated'],
  ]),
);

// onnx.proto: message ModelProto { int64 ir_version = 1; string producer_name = 2; string producer_version = 3;
//   string domain = 4; int64 model_version = 5; string doc_string = 6; GraphProto graph = 7;
//   repeated OperatorSetIdProto opset_import = 8; repeated StringStringEntryProto metadata_props = 14; }
onnx.add(
  message('ModelProto', [
    ['irVersion', 1, 'int64'],
    ['producerName', 2, 'string'],
    ['producerVersion', 3, 'string'],
    ['domain', 4, 'string'],
    ['modelVersion', 5, 'int64'],
    ['docString', 6, 'string'],
    ['graph', 7, 'GraphProto'],
    ['opsetImport', 8, 'OperatorSetIdProto', 'repeated'],
    ['metadataProps', 14, 'StringStringEntryProto', 'repeated'],
  ]),
);

root.resolveAll();

/** onnx.proto `TensorProto.DataType` values for the element types Augur uses. */
export const DataType = { float32: 1, int64: 7, bool: 9, float64: 11 } as const;
export type ElemType = keyof typeof DataType;

/** onnx.proto `AttributeProto.AttributeType` values for the attribute kinds Augur writes. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** The reflected `onnx.ModelProto` type; `ModelProto.encode(obj).finish()` gives the .onnx bytes. */
export const ModelProto: protobuf.Type = root.lookupType('onnx.ModelProto');
/** The reflected `onnx.TensorProto` type (exported for readers and tests). */
export const TensorProto: protobuf.Type = root.lookupType('onnx.TensorProto');
