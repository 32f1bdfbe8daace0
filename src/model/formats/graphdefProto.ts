import { protoDecoder } from './protoDecode';

/**
 * The subset of TensorFlow's protobuf messages a frozen GraphDef needs (tensorflow/core/framework:
 * graph.proto, node_def.proto, attr_value.proto, tensor.proto, tensor_shape.proto, types.proto,
 * versions.proto), as a protobufjs JSON descriptor: field numbers and types as TensorFlow declares
 * them. The function library is not described (a frozen speech_commands graph has none); protobufjs
 * skips fields it does not know.
 */
const DESCRIPTOR = {
  nested: {
    tensorflow: {
      nested: {
        DataType: {
          values: {
            DT_INVALID: 0,
            DT_FLOAT: 1,
            DT_DOUBLE: 2,
            DT_INT32: 3,
            DT_UINT8: 4,
            DT_INT16: 5,
            DT_INT8: 6,
            DT_STRING: 7,
            DT_COMPLEX64: 8,
            DT_INT64: 9,
            DT_BOOL: 10,
            DT_QINT8: 11,
            DT_QUINT8: 12,
            DT_QINT32: 13,
            DT_BFLOAT16: 14,
            DT_QINT16: 15,
            DT_QUINT16: 16,
            DT_UINT16: 17,
            DT_COMPLEX128: 18,
            DT_HALF: 19,
            DT_RESOURCE: 20,
            DT_VARIANT: 21,
            DT_UINT32: 22,
            DT_UINT64: 23,
          },
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: 'repeated', type: 'Dim', id: 2 },
            unknownRank: { type: 'bool', id: 3 },
          },
          nested: {
            Dim: { fields: { size: { type: 'int64', id: 1 }, name: { type: 'string', id: 2 } } },
          },
        },
        TensorProto: {
          fields: {
            dtype: { type: 'DataType', id: 1 },
            tensorShape: { type: 'TensorShapeProto', id: 2 },
            versionNumber: { type: 'int32', id: 3 },
            tensorContent: { type: 'bytes', id: 4 },
            halfVal: { rule: 'repeated', type: 'int32', id: 13 },
            floatVal: { rule: 'repeated', type: 'float', id: 5 },
            doubleVal: { rule: 'repeated', type: 'double', id: 6 },
            intVal: { rule: 'repeated', type: 'int32', id: 7 },
            stringVal: { rule: 'repeated', type: 'bytes', id: 8 },
            int64Val: { rule: 'repeated', type: 'int64', id: 10 },
            boolVal: { rule: 'repeated', type: 'bool', id: 11 },
            uint32Val: { rule: 'repeated', type: 'uint32', id: 16 },
            uint64Val: { rule: 'repeated', type: 'uint64', id: 17 },
          },
        },
        NameAttrList: {
          fields: {
            name: { type: 'string', id: 1 },
            attr: { keyType: 'string', type: 'AttrValue', id: 2 },
          },
        },
        AttrValue: {
          oneofs: {
            value: { oneof: ['s', 'i', 'f', 'b', 'type', 'shape', 'tensor', 'list', 'func', 'placeholder'] },
          },
          fields: {
            s: { type: 'bytes', id: 2 },
            i: { type: 'int64', id: 3 },
            f: { type: 'float', id: 4 },
            b: { type: 'bool', id: 5 },
            type: { type: 'DataType', id: 6 },
            shape: { type: 'TensorShapeProto', id: 7 },
            tensor: { type: 'TensorProto', id: 8 },
            list: { type: 'ListValue', id: 1 },
            func: { type: 'NameAttrList', id: 10 },
            placeholder: { type: 'string', id: 9 },
          },
          nested: {
            ListValue: {
              fields: {
                s: { rule: 'repeated', type: 'bytes', id: 2 },
                i: { rule: 'repeated', type: 'int64', id: 3 },
                f: { rule: 'repeated', type: 'float', id: 4 },
                b: { rule: 'repeated', type: 'bool', id: 5 },
                type: { rule: 'repeated', type: 'DataType', id: 6 },
                shape: { rule: 'repeated', type: 'TensorShapeProto', id: 7 },
                tensor: { rule: 'repeated', type: 'TensorProto', id: 8 },
                func: { rule: 'repeated', type: 'NameAttrList', id: 9 },
              },
            },
          },
        },
        NodeDef: {
          fields: {
            name: { type: 'string', id: 1 },
            op: { type: 'string', id: 2 },
            input: { rule: 'repeated', type: 'string', id: 3 },
            device: { type: 'string', id: 4 },
            attr: { keyType: 'string', type: 'AttrValue', id: 5 },
          },
        },
        VersionDef: {
          fields: {
            producer: { type: 'int32', id: 1 },
            minConsumer: { type: 'int32', id: 2 },
            badConsumers: { rule: 'repeated', type: 'int32', id: 3 },
          },
        },
        GraphDef: {
          fields: {
            node: { rule: 'repeated', type: 'NodeDef', id: 1 },
            versions: { type: 'VersionDef', id: 4 },
            version: { type: 'int32', id: 3 },
          },
        },
      },
    },
  },
};

/** A TensorShapeProto as decoded (int64 sizes as numbers). */
export interface ShapeProto {
  dim?: { size?: number; name?: string }[];
  unknownRank?: boolean;
}

/** A TensorProto as decoded: enums as their names, bytes as Uint8Array. */
export interface TensorProtoObj {
  dtype?: string;
  tensorShape?: ShapeProto;
  tensorContent?: Uint8Array;
  halfVal?: number[];
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  stringVal?: Uint8Array[];
  int64Val?: number[];
  boolVal?: boolean[];
  uint32Val?: number[];
  uint64Val?: number[];
}

/** An AttrValue as decoded. */
export interface AttrValueObj {
  s?: Uint8Array;
  i?: number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: ShapeProto;
  tensor?: TensorProtoObj;
  list?: {
    s?: Uint8Array[];
    i?: number[];
    f?: number[];
    b?: boolean[];
    type?: string[];
    shape?: ShapeProto[];
    tensor?: TensorProtoObj[];
  };
  func?: { name?: string };
  placeholder?: string;
}

/** A NodeDef as decoded. */
export interface NodeDefObj {
  name: string;
  op: string;
  input?: string[];
  device?: string;
  attr?: Record<string, AttrValueObj>;
}

/** A GraphDef as decoded. */
export interface GraphDefObj {
  node?: NodeDefObj[];
  versions?: { producer?: number; minConsumer?: number };
}

/**
 * Decodes a serialized GraphDef. Throws protobufjs's error (e.g. "index out of range") on truncated
 * or corrupt bytes; the caller names the file.
 */
export const decodeGraphDef = protoDecoder<GraphDefObj>(DESCRIPTOR, 'tensorflow.GraphDef');
