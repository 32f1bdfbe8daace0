/** Defaults shared by the CLI, the engine and the extension, each named once here. */

/** Labels kept per file in results and reports. */
export const DEFAULT_TOP_K = 3;

/** Hop of the sliding windows over a file longer than the model's window, in ms. */
export const DEFAULT_WINDOW_STRIDE_MS = 250;

/** The bundled model's folder, relative to the package root (next to dist/ and src/). */
export const BUNDLED_MODEL_PATH = ['models', 'digits'] as const;
