declare module 'jsfive' {
  /** jsfive (pure-JS HDF5 reader, from pyfive): the parts Wavebench uses. */
  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset;
  }
  export class Dataset {
    readonly shape: number[];
    readonly dtype: string | unknown;
    readonly attrs: Record<string, unknown>;
    readonly value: ArrayLike<number>;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
  /** HDF5 filters by id (1: gzip), each (chunk bytes, item size) => filtered bytes. */
  export const Filters: Map<
    number,
    (buf: ArrayBuffer, itemsize: number, clientData?: unknown) => ArrayBuffer
  >;
}
