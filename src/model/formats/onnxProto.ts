import { protoDecoder, protoEncoder } from './protoDecode';

/**
 * The subset of onnx/onnx.proto (IR version 10) Wavebench reads to validate an ONNX model without
 * running it, and writes to lower its own graphs to ONNX (graph/toOnnx.ts), as a protobufjs JSON descriptor: field numbers and types as onnx.proto declares them.
 * Everything that can hold a tensor is described (initializers, sparse initializers, node
 * attributes, subgraphs, local functions), so no weight or external-data reference escapes the
 * checks; protobufjs skips the fields it does not know (training info, type protos of sequences).
 */
const TENSOR_SHAPE = {
  fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
  nested: {
    Dimension: {
      fields: {
        dimValue: { type: 'int64', id: 1 },
        dimParam: { type: 'string', id: 2 },
      },
    },
  },
};

const DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: {
          fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4 },
            int32Data: { rule: 'repeated', type: 'int32', id: 5 },
            stringData: { rule: 'repeated', type: 'bytes', id: 6 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: 'repeated', type: 'double', id: 10 },
            uint64Data: { rule: 'repeated', type: 'uint64', id: 11 },
            externalData: { rule: 'repeated', type: 'StringStringEntryProto', id: 13 },
            dataLocation: { type: 'int32', id: 14 },
          },
        },
        SparseTensorProto: {
          fields: {
            values: { type: 'TensorProto', id: 1 },
            indices: { type: 'TensorProto', id: 2 },
            dims: { rule: 'repeated', type: 'int64', id: 3 },
          },
        },
        TensorShapeProto: TENSOR_SHAPE,
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: 'int32', id: 1 },
                shape: { type: 'TensorShapeProto', id: 2 },
              },
            },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            tensors: { rule: 'repeated', type: 'TensorProto', id: 10 },
            graphs: { rule: 'repeated', type: 'GraphProto', id: 11 },
            sparseTensor: { type: 'SparseTensorProto', id: 22 },
            sparseTensors: { rule: 'repeated', type: 'SparseTensorProto', id: 23 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            sparseInitializer: { rule: 'repeated', type: 'SparseTensorProto', id: 15 },
          },
        },
        FunctionProto: {
          fields: {
            name: { type: 'string', id: 1 },
            node: { rule: 'repeated', type: 'NodeProto', id: 7 },
            domain: { type: 'string', id: 10 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            functions: { rule: 'repeated', type: 'FunctionProto', id: 25 },
          },
        },
      },
    },
  },
};

/** onnx.TensorProto as decoded (int64 as numbers: a value past 2^53 is far past every limit anyway). */
export interface OnnxTensor {
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  stringData?: Uint8Array[];
  int64Data?: number[];
  name?: string;
  rawData?: Uint8Array;
  doubleData?: number[];
  uint64Data?: number[];
  externalData?: { key?: string; value?: string }[];
  dataLocation?: number;
}
export interface OnnxSparseTensor {
  values?: OnnxTensor;
  indices?: OnnxTensor;
  dims?: number[];
}
export interface OnnxValueInfo {
  name?: string;
  type?: {
    tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } };
  };
}
export interface OnnxAttribute {
  name?: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
  /** AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, GRAPH 5, FLOATS 6, INTS 7. */
  type?: number;
  t?: OnnxTensor;
  g?: OnnxGraph;
  tensors?: OnnxTensor[];
  graphs?: OnnxGraph[];
  sparseTensor?: OnnxSparseTensor;
  sparseTensors?: OnnxSparseTensor[];
}
export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  attribute?: OnnxAttribute[];
  domain?: string;
}
export interface OnnxGraph {
  node?: OnnxNode[];
  name?: string;
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  sparseInitializer?: OnnxSparseTensor[];
}
export interface OnnxModel {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  graph?: OnnxGraph;
  opsetImport?: { domain?: string; version?: number }[];
  functions?: { name?: string; node?: OnnxNode[]; domain?: string }[];
}

/**
 * Decodes a serialized ModelProto. Throws protobufjs's error (e.g. "index out of range") on truncated
 * or corrupt bytes; the caller names the file.
 */
export const decodeOnnxModel = protoDecoder<OnnxModel>(DESCRIPTOR, 'onnx.ModelProto');

/** Serializes a ModelProto (the graph lowering's output). */
export const encodeOnnxModel = protoEncoder<OnnxModel>(DESCRIPTOR, 'onnx.ModelProto');
