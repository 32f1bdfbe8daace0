import * as protobuf from 'protobufjs/light';

/**
 * A decoder of one message type of a protobufjs JSON descriptor (the GraphDef and ONNX subsets): int64
 * as numbers, bytes as Uint8Array, no defaults. The decoder throws protobufjs's error ("index out of
 * range") on truncated or corrupt bytes; the caller names the file.
 */
export function protoDecoder<T>(descriptor: protobuf.INamespace, typeName: string): (bytes: Uint8Array) => T {
  let type: protobuf.Type | undefined;
  return (bytes) => {
    type ??= protobuf.Root.fromJSON(descriptor).lookupType(typeName);
    return type.toObject(type.decode(bytes), {
      longs: Number,
      enums: String,
      bytes: Uint8Array,
      defaults: false,
      arrays: false,
      oneofs: false,
    }) as T;
  };
}

/** An encoder of one message type of such a descriptor (plain objects in, as the decoder gives them). */
export function protoEncoder<T>(
  descriptor: protobuf.INamespace,
  typeName: string,
): (message: T) => Uint8Array {
  let type: protobuf.Type | undefined;
  return (message) => {
    type ??= protobuf.Root.fromJSON(descriptor).lookupType(typeName);
    return type.encode(type.fromObject(message as object)).finish();
  };
}
