/** Defaults shared by the CLI, the engine and the extension, each named once here. */

/** Labels kept per file in results and reports. */
export const DEFAULT_TOP_K = 3;

/** Hop of the sliding windows over a file longer than the model's window, in ms. */
export const DEFAULT_WINDOW_STRIDE_MS = 250;

// The bundled models and the default one are named in bundled.ts (BUNDLED_MODELS, DEFAULT_MODEL).
