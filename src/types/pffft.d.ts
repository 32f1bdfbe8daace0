declare module '@echogarden/pffft-wasm/simd' {
  /** Emscripten factory of the PFFFT module (see src/audio/fft.ts for the functions used). */
  const factory: (options: { wasmBinary?: Uint8Array }) => Promise<unknown>;
  export default factory;
}
