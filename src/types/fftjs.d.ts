declare module 'fft.js' {
  /** fft.js (indutny): radix-4 FFT over plain or typed arrays, double precision. */
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    realTransform(output: ArrayLike<number> & { [i: number]: number }, input: ArrayLike<number>): void;
    completeSpectrum(spectrum: ArrayLike<number> & { [i: number]: number }): void;
    transform(output: ArrayLike<number> & { [i: number]: number }, input: ArrayLike<number>): void;
    /** The inverse complex transform, scaled by 1 / size. */
    inverseTransform(output: ArrayLike<number> & { [i: number]: number }, input: ArrayLike<number>): void;
  }
}
