/*
 * MFCC and power spectrogram exactly as TensorFlow's AudioSpectrogram(magnitude_squared) + Mfcc ops,
 * in double precision throughout (as TensorFlow), compiled to WebAssembly with SIMD (simd128).
 * Freestanding: no libc. Built by `npm run build-wasm` into the committed mfcc.wasm; used by mfccWasm.ts.
 *
 * Conventions (the same as spectrogram.ts, melFilterbank.ts, dct.ts, mfcc.ts):
 * - periodic Hann window w[i] = 0.5 - 0.5 cos(2 pi i / windowSize), float32 sample times double window;
 * - zero-padded to fftSize (a power of two), |X[k]|^2 for k = 0 .. fftSize/2, rounded to float32
 *   (TensorFlow's spectrogram output is float32, and the Mfcc op reads that);
 * - mel filterbank on sqrt(power): TensorFlow's band mapper and weights, summed in bin order;
 * - ln(max(x, 1e-12)); DCT-II with sqrt(2/N) on every coefficient.
 *
 * The real FFT of N = fftSize points is a complex FFT of M = N/2 points on z[n] = x[2n] + i x[2n+1]
 * (even samples to the real parts, odd ones to the imaginary parts, while windowing), then the usual
 * real-from-complex split. The complex FFT is decimation in frequency, radix 4 (one radix-2 stage
 * first when M is not a power of 4), leaving its output digit-reversed; the split reads it through a
 * permutation table, so there is no reordering pass. Two frames go through together, one per
 * f64x2 lane (see below). Measured against TensorFlow 2.21's outputs (test/unit/audio/mfccWasm.test.ts):
 * the float32 spectrogram is bit-identical on every bin above 1e-6 of the maximum, the MFCC within
 * 1 float32 ulp (1.5e-8).
 */
#include <wasm_simd128.h>

typedef unsigned int u32;
typedef unsigned long long u64;

#define EXPORT(name) __attribute__((export_name(#name)))

/* ---------------------------------------------------------------- memory: a bump allocator */

extern unsigned char __heap_base;
static u32 heap_top = 0;

EXPORT(alloc) void *wb_alloc(u32 bytes) {
  if (heap_top == 0) heap_top = (u32)&__heap_base;
  u32 p = (heap_top + 15u) & ~15u;
  u32 end = p + bytes;
  if (end < p) return 0;
  u32 have = (u32)__builtin_wasm_memory_size(0) * 65536u;
  if (end > have) {
    u32 pages = (end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (unsigned long)-1) return 0;
  }
  heap_top = end;
  return (void *)p;
}

/* Heap position, and a return to it (frees everything allocated after `mark`). */
EXPORT(heap_mark) u32 wb_heap_mark(void) {
  if (heap_top == 0) heap_top = (u32)&__heap_base;
  return heap_top;
}
EXPORT(heap_reset) void wb_heap_reset(u32 mark) { heap_top = mark; }

/* ---------------------------------------------------------------- double-precision math */


static inline u64 bits_of(double x) {
  union { double d; u64 u; } v;
  v.d = x;
  return v.u;
}
static inline double double_of(u64 u) {
  union { double d; u64 u; } v;
  v.u = u;
  return v.d;
}

static const double LN2_HI = 6.93147180369123816490e-01; /* ln 2, high 32 bits */
static const double LN2_LO = 1.90821492927058770002e-10; /* ln 2 - LN2_HI */

/*
 * Natural log for finite x > 0 (callers floor it at 1e-12 first). x = m 2^e with m in
 * [sqrt(1/2), sqrt(2)); ln m = 2 atanh(f), f = (m - 1) / (m + 1), |f| <= 0.1716, so f^2 <= 0.02944
 * and the series 2 (f + f^3/3 + f^5/5 + ...) reaches 1e-17 relative after 12 terms. The leading
 * term is split as in fdlibm (hfsq) so that the result is within ~1 ulp.
 */
static double wb_log(double x) {
  u64 u = bits_of(x);
  int e = (int)((u >> 52) & 0x7ff);
  if (e == 0) { /* subnormal: scale up */
    x *= 18014398509481984.0; /* 2^54 */
    u = bits_of(x);
    e = (int)((u >> 52) & 0x7ff) - 54;
  }
  e -= 1023;
  double m = double_of((u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL); /* [1, 2) */
  if (m > 1.41421356237309504880) {
    m *= 0.5;
    e += 1;
  }
  double fm = m - 1.0; /* exact (Sterbenz) */
  double s = fm / (2.0 + fm);
  double z = s * s;
  /* R(z) = 2 sum_{k>=1} z^k / (2k + 1): ln m = fm - hfsq + s (hfsq + R) with hfsq = fm^2 / 2. */
  double r = 2.0 * z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9 + z * (1.0 / 11 + z * (1.0 / 13 +
             z * (1.0 / 15 + z * (1.0 / 17 + z * (1.0 / 19 + z * (1.0 / 21 + z * (1.0 / 23 + z * (1.0 / 25))))))))))));
  double hfsq = 0.5 * fm * fm;
  double de = (double)e;
  return de * LN2_HI - ((hfsq - (s * (hfsq + r) + de * LN2_LO)) - fm);
}

/* log1p(x) for x >= 0 (the mel scale), by Goldberg's correction: ln(u) * x / (u - 1), u = 1 + x. */
static double wb_log1p(double x) {
  double u = 1.0 + x;
  if (u == 1.0) return x;
  return wb_log(u) * (x / (u - 1.0));
}

static const double PI = 3.14159265358979323846;
static const double PIO2_HI = 1.57079632673412561417e+00; /* pi/2 high 33 bits */
static const double PIO2_LO = 6.07710050650619224932e-11; /* pi/2 - PIO2_HI */

/* sin and cos on |x| <= pi/4 by Taylor series (terms through x^21: error < 1e-19 there). */
static double sin_small(double x) {
  double z = x * x;
  double t = 1.0, sum = 1.0;
  for (int k = 1; k <= 10; k++) {
    t *= -z / (double)((2 * k) * (2 * k + 1));
    sum += t;
  }
  return x * sum;
}
static double cos_small(double x) {
  double z = x * x;
  double t = 1.0, sum = 1.0;
  for (int k = 1; k <= 11; k++) {
    t *= -z / (double)((2 * k - 1) * (2 * k));
    sum += t;
  }
  return sum;
}

/* sin and cos of x for moderate |x| (table arguments, |x| < 1e4): Cody-Waite reduction by pi/2. */
static void wb_sincos(double x, double *s, double *c) {
  double q = x * (2.0 / PI);
  double n = q < 0 ? -(double)(long long)(0.5 - q) : (double)(long long)(q + 0.5);
  double r = (x - n * PIO2_HI) - n * PIO2_LO;
  double sr = sin_small(r), cr = cos_small(r);
  int quadrant = (int)((long long)n & 3);
  switch (quadrant) {
    case 0: *s = sr; *c = cr; break;
    case 1: *s = cr; *c = -sr; break;
    case 2: *s = -sr; *c = -cr; break;
    default: *s = -cr; *c = sr; break;
  }
}
static double wb_cos(double x) {
  double s, c;
  wb_sincos(x, &s, &c);
  return c;
}

/* ---------------------------------------------------------------- configuration and tables */

/*
 * Frames are processed two at a time: lane 0 of every f64x2 holds frame f, lane 1 frame f + 1 (the
 * last frame of an odd count is paired with itself). The FFT data are split: re[] and im[] arrays of
 * such pairs, so complex arithmetic needs no shuffles, and every stage, the real split, the
 * filterbank, the log and the DCT are straight-line vector code with tables splatted to both lanes.
 */
typedef v128_t f2; /* (frame f, frame f + 1) */

static int cfg_window, cfg_stride, cfg_fft, cfg_bins, cfg_channels, cfg_coeffs;
static int cfg_M;      /* complex FFT size = fft / 2 */
static int cfg_radix2; /* 1 when a radix-2 stage comes first (M not a power of 4) */
static int fused_first; /* 1 when the first radix-4 stage reads the samples itself (first_stage_windowed) */
static int mel_start, mel_end, mel_count;
static int dct_half;

static f2 *win2;      /* [fft]: window, splatted, zero past cfg_window */
static f2 *zre, *zim; /* [M] each: the working buffers */
static f2 *pw;        /* [bins]: power (rounded to float32, held as double) */
static f2 *tw;        /* radix-4 stage twiddles: per stage, per j: c1, s1, c2, s2, c3, s3 */
static f2 *tw2;       /* radix-2 stage twiddles: per j < M/2: c, s */
static int *perm;     /* [M]: where Z[k] sits in the FFT output */
static f2 *split_w;   /* [M + 1] pairs: (w_k / 2) re, im */
static int *band_map;       /* [mel_count]: band of bin mel_start + j (-1: it only feeds band 0 from below) */
static double *band_w;      /* [mel_count]: its weight in that band (1 - weight goes to the next one) */
static f2 *mel2;            /* [channels] */
static f2 *dct_tab;         /* [dct_half][coeffs], splatted */
static f2 *dct_s, *dct_d;   /* [dct_half] */

static const double FLOOR = 1e-12;
static const double LOG_FLOOR = -27.631021115928547; /* ln(1e-12), as mfcc.ts */

static inline f2 splat(double x) { return wasm_f64x2_splat(x); }

/* Output position -> frequency index of the DIF FFT of size m with the given stage radices. */
static int dif_index(int p, int m, int first_radix2) {
  int r = first_radix2 ? 2 : 4;
  if (m == 1) return 0;
  int sub = m / r;
  int d = p / sub;
  return d + r * dif_index(p % sub, sub, 0);
}

static double hz_to_mel(double hz) { return 1127.0 * wb_log1p(hz / 700.0); }

static int init_f32(void);

/*
 * Builds every table. Returns 0, or a negative code: -1 bad sizes, -2 bad filterbank limits,
 * -3 out of memory.
 */
EXPORT(init)
int wb_init(int window_size, int stride, int fft_size, double sample_rate, int channels, double lower_hz,
            double upper_hz, int coeffs) {
  if (window_size < 2 || stride < 1 || fft_size < 16 || fft_size > (1 << 20) || (fft_size & (fft_size - 1)) ||
      fft_size < window_size || channels < 1 || coeffs < 1)
    return -1;
  if (!(lower_hz >= 0) || !(upper_hz > lower_hz) || upper_hz > sample_rate / 2) return -2;
  cfg_window = window_size;
  cfg_stride = stride;
  cfg_fft = fft_size;
  cfg_bins = fft_size / 2 + 1;
  cfg_channels = channels;
  cfg_coeffs = coeffs;
  int M = fft_size / 2;
  cfg_M = M;
  int log2m = 0;
  while ((1 << log2m) < M) log2m++;
  cfg_radix2 = log2m & 1;

  win2 = wb_alloc(sizeof(f2) * fft_size);
  zre = wb_alloc(sizeof(f2) * M);
  zim = wb_alloc(sizeof(f2) * M);
  pw = wb_alloc(sizeof(f2) * cfg_bins);
  perm = wb_alloc(sizeof(int) * M);
  split_w = wb_alloc(sizeof(f2) * 2 * (M + 1));
  tw = wb_alloc(sizeof(f2) * 6 * M);
  tw2 = wb_alloc(sizeof(f2) * 2 * (M / 2));
  if (!win2 || !zre || !zim || !pw || !perm || !split_w || !tw || !tw2) return -3;

  for (int i = 0; i < fft_size; i++)
    win2[i] = splat(i < window_size ? 0.5 - 0.5 * wb_cos((2.0 * PI * i) / window_size) : 0.0);

  double s, c;
  /* radix-2 first stage (size M): w = e^{-2 pi i j / M} */
  if (cfg_radix2)
    for (int j = 0; j < M / 2; j++) {
      wb_sincos(-2.0 * PI * j / M, &s, &c);
      tw2[2 * j] = splat(c);
      tw2[2 * j + 1] = splat(s);
    }
  /* radix-4 stages of size L = M (or M/2) down to 16; the size-4 stage has no twiddles */
  {
    f2 *t = tw;
    for (int L = cfg_radix2 ? M / 2 : M; L >= 16; L /= 4) {
      int q = L / 4;
      for (int j = 0; j < q; j++)
        for (int r = 1; r <= 3; r++) {
          wb_sincos(-2.0 * PI * r * j / L, &s, &c);
          *t++ = splat(c);
          *t++ = splat(s);
        }
    }
  }
  for (int p = 0; p < M; p++) perm[dif_index(p, M, cfg_radix2)] = p;
  fused_first = !cfg_radix2 && M >= 16 && !(window_size & 1) && window_size / 2 >= 3 * (M / 4);
  /* X[k] = E + w_k O, E = (Z[k] + conj Z[M-k]) / 2, O = (Z[k] - conj Z[M-k]) / 2,
     w_k = -i e^{-2 pi i k / N} = -sin(t) - i cos(t), t = 2 pi k / N; stored halved. */
  for (int k = 0; k <= M; k++) {
    wb_sincos(2.0 * PI * k / fft_size, &s, &c);
    split_w[2 * k] = splat(-0.5 * s);
    split_w[2 * k + 1] = splat(-0.5 * c);
  }

  /* mel filterbank (melFilterbank.ts / mfcc_mel_filterbank.cc) */
  double mel_low = hz_to_mel(lower_hz), mel_high = hz_to_mel(upper_hz);
  double spacing = (mel_high - mel_low) / (channels + 1);
  double *centres = wb_alloc(sizeof(double) * (channels + 1));
  mel2 = wb_alloc(sizeof(f2) * channels);
  if (!centres || !mel2) return -3;
  for (int i = 0; i <= channels; i++) centres[i] = mel_low + spacing * (i + 1);
  double hz_per_bin = (0.5 * sample_rate) / (cfg_bins - 1);
  mel_start = (int)(1.5 + lower_hz / hz_per_bin);
  mel_end = (int)(upper_hz / hz_per_bin);
  if (mel_end > cfg_bins - 1) mel_end = cfg_bins - 1;
  mel_count = mel_end - mel_start + 1;
  if (mel_count < 0) mel_count = 0;
  band_map = wb_alloc(sizeof(int) * (mel_count + 1));
  band_w = wb_alloc(sizeof(double) * (mel_count + 1));
  if (!band_map || !band_w) return -3;
  {
    int channel = 0;
    for (int i = mel_start; i <= mel_end; i++) {
      double m = hz_to_mel(i * hz_per_bin);
      while (channel < channels && centres[channel] < m) channel++;
      int band = channel - 1;
      band_map[i - mel_start] = band;
      band_w[i - mel_start] = band >= 0 ? (centres[band + 1] - m) / (centres[band + 1] - centres[band])
                                        : (centres[0] - m) / (centres[0] - mel_low);
    }
  }

  /* DCT (dct.ts): table[j][k] for j < ceil(N/2); even k use sums, odd k differences. */
  dct_half = (channels + 1) / 2;
  dct_tab = wb_alloc(sizeof(f2) * dct_half * coeffs);
  dct_s = wb_alloc(sizeof(f2) * dct_half);
  dct_d = wb_alloc(sizeof(f2) * dct_half);
  if (!dct_tab || !dct_s || !dct_d) return -3;
  {
    double fnorm = __builtin_sqrt(2.0 / channels);
    double arg = PI / channels;
    for (int j = 0; j < dct_half; j++)
      for (int k = 0; k < coeffs; k++) {
        double mid = (channels & 1) && j == dct_half - 1 ? 0.5 : 1.0;
        dct_tab[j * coeffs + k] = splat(mid * fnorm * wb_cos(k * arg * (j + 0.5)));
      }
  }
  return init_f32();
}

EXPORT(frame_count) int wb_frame_count(int n) {
  return n < cfg_window ? 0 : 1 + (n - cfg_window) / cfg_stride;
}
EXPORT(bins) int wb_bins(void) { return cfg_bins; }

/* ---------------------------------------------------------------- window and FFT */

#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul

/* Windowed frames at a (lane 0) and b (lane 1), split into z[n] = x[2n] + i x[2n+1]. */
static void window_pair(const float *a, const float *b) {
  int n = cfg_window, M = cfg_M;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t va = wasm_v128_load(a + i), vb = wasm_v128_load(b + i);
    v128_t ev = wasm_i32x4_shuffle(va, vb, 0, 4, 2, 6); /* a0 b0 a2 b2 */
    v128_t od = wasm_i32x4_shuffle(va, vb, 1, 5, 3, 7); /* a1 b1 a3 b3 */
    v128_t ev2 = wasm_i32x4_shuffle(ev, ev, 2, 3, 0, 1);
    v128_t od2 = wasm_i32x4_shuffle(od, od, 2, 3, 0, 1);
    int h = i >> 1;
    zre[h] = MUL(wasm_f64x2_promote_low_f32x4(ev), win2[i]);
    zim[h] = MUL(wasm_f64x2_promote_low_f32x4(od), win2[i + 1]);
    zre[h + 1] = MUL(wasm_f64x2_promote_low_f32x4(ev2), win2[i + 2]);
    zim[h + 1] = MUL(wasm_f64x2_promote_low_f32x4(od2), win2[i + 3]);
  }
  for (; i < n; i++) {
    f2 v = MUL(wasm_f64x2_make((double)a[i], (double)b[i]), win2[i]);
    if (i & 1) zim[i >> 1] = v;
    else zre[i >> 1] = v;
  }
  if (n & 1) zim[n >> 1] = splat(0.0);
  for (int h = (n + 1) >> 1; h < M; h++) {
    zre[h] = splat(0.0);
    zim[h] = splat(0.0);
  }
}

/*
 * The FFT's building blocks, written once for both element types: f2 (two frames in double, the exact
 * path) and f4 (four frames in float32, see compute_f32_batch); T is the vector type, A/S/M its add,
 * subtract and multiply.
 */

/* One radix-4 DIF butterfly with twiddles t (c1, s1, c2, s2, c3, s3), written to (r[k], i[k]). */
#define DEFINE_BF4(NAME, T, A, S, M)                                                                      \
  static inline __attribute__((always_inline)) void NAME(T a0r, T a0i, T a1r, T a1i, T a2r, T a2i, T a3r, \
                                                         T a3i, const T *t, T *r0, T *i0, T *r1, T *i1,   \
                                                         T *r2, T *i2, T *r3, T *i3) {                    \
    T t0r = A(a0r, a2r), t0i = A(a0i, a2i);                                                                \
    T t1r = S(a0r, a2r), t1i = S(a0i, a2i);                                                                \
    T t2r = A(a1r, a3r), t2i = A(a1i, a3i);                                                                \
    /* t3 = (a1 - a3) * (-i) = (a1i - a3i) - i (a1r - a3r) */                                              \
    T t3r = S(a1i, a3i), t3i = S(a3r, a1r);                                                                \
    *r0 = A(t0r, t2r);                                                                                     \
    *i0 = A(t0i, t2i);                                                                                     \
    T yr = A(t1r, t3r), yi = A(t1i, t3i);                                                                  \
    *r1 = S(M(yr, t[0]), M(yi, t[1]));                                                                     \
    *i1 = A(M(yr, t[1]), M(yi, t[0]));                                                                     \
    yr = S(t0r, t2r);                                                                                      \
    yi = S(t0i, t2i);                                                                                      \
    *r2 = S(M(yr, t[2]), M(yi, t[3]));                                                                     \
    *i2 = A(M(yr, t[3]), M(yi, t[2]));                                                                     \
    yr = S(t1r, t3r);                                                                                      \
    yi = S(t1i, t3i);                                                                                      \
    *r3 = S(M(yr, t[4]), M(yi, t[5]));                                                                     \
    *i3 = A(M(yr, t[5]), M(yi, t[4]));                                                                     \
  }

/* The radix-2 first stage (size M) with twiddles t (c, s per j < M/2). */
#define DEFINE_RADIX2(NAME, T, A, S, M_)                                                                  \
  static void NAME(T *xr, T *xi, const T *t, int M) {                                                     \
    int h = M / 2;                                                                                         \
    for (int j = 0; j < h; j++) {                                                                          \
      T ar = xr[j], ai = xi[j], br = xr[j + h], bi = xi[j + h];                                            \
      xr[j] = A(ar, br);                                                                                   \
      xi[j] = A(ai, bi);                                                                                   \
      T dr = S(ar, br), di = S(ai, bi);                                                                    \
      T c = t[2 * j], s = t[2 * j + 1];                                                                    \
      xr[j + h] = S(M_(dr, c), M_(di, s));                                                                 \
      xi[j + h] = A(M_(dr, s), M_(di, c));                                                                 \
    }                                                                                                      \
  }

/* The radix-4 stages of size L down to 16 (twiddles from tws), then the last size-4 or size-2 stage. */
#define DEFINE_FFT_STAGES(NAME, T, A, S, BF)                                                              \
  static void NAME(T *xr, T *xi, const T *tws, int M, int L) {                                            \
    for (; L >= 16; L /= 4) {                                                                              \
      int q = L / 4;                                                                                       \
      for (int b = 0; b < M; b += L) {                                                                     \
        T *r0 = xr + b, *r1 = r0 + q, *r2 = r1 + q, *r3 = r2 + q;                                          \
        T *i0 = xi + b, *i1 = i0 + q, *i2 = i1 + q, *i3 = i2 + q;                                          \
        const T *t = tws;                                                                                  \
        for (int j = 0; j < q; j++, t += 6)                                                                \
          BF(r0[j], i0[j], r1[j], i1[j], r2[j], i2[j], r3[j], i3[j], t, r0 + j, i0 + j, r1 + j, i1 + j,    \
             r2 + j, i2 + j, r3 + j, i3 + j);                                                              \
      }                                                                                                    \
      tws += 6 * q;                                                                                        \
    }                                                                                                      \
    if (L == 4) {                                                                                          \
      for (int b = 0; b < M; b += 4) {                                                                     \
        T a0r = xr[b], a1r = xr[b + 1], a2r = xr[b + 2], a3r = xr[b + 3];                                  \
        T a0i = xi[b], a1i = xi[b + 1], a2i = xi[b + 2], a3i = xi[b + 3];                                  \
        T t0r = A(a0r, a2r), t0i = A(a0i, a2i);                                                            \
        T t1r = S(a0r, a2r), t1i = S(a0i, a2i);                                                            \
        T t2r = A(a1r, a3r), t2i = A(a1i, a3i);                                                            \
        T t3r = S(a1i, a3i), t3i = S(a3r, a1r);                                                            \
        xr[b] = A(t0r, t2r);                                                                               \
        xi[b] = A(t0i, t2i);                                                                               \
        xr[b + 1] = A(t1r, t3r);                                                                           \
        xi[b + 1] = A(t1i, t3i);                                                                           \
        xr[b + 2] = S(t0r, t2r);                                                                           \
        xi[b + 2] = S(t0i, t2i);                                                                           \
        xr[b + 3] = S(t1r, t3r);                                                                           \
        xi[b + 3] = S(t1i, t3i);                                                                           \
      }                                                                                                    \
    } else if (L == 2) {                                                                                   \
      for (int b = 0; b < M; b += 2) {                                                                     \
        T ar = xr[b], ai = xi[b], br = xr[b + 1], bi = xi[b + 1];                                          \
        xr[b] = A(ar, br);                                                                                 \
        xi[b] = A(ai, bi);                                                                                 \
        xr[b + 1] = S(ar, br);                                                                             \
        xi[b + 1] = S(ai, bi);                                                                             \
      }                                                                                                    \
    }                                                                                                      \
  }

/* |X[k]|^2 for 0 < k < M from a complex FFT output (zr, zi) read through perm, split weights w. */
#define SPLIT_POWER(T, A, S, M_, HALF, zr, zi, w, k)                                                      \
  ({                                                                                                       \
    int p_ = perm[k], q_ = perm[cfg_M - (k)];                                                              \
    T ar = zr[p_], ai = zi[p_], br = zr[q_], bi = zi[q_];                                                  \
    /* A = Z[k], B = conj Z[M-k]: A + B = (ar + br, ai - bi), A - B = (ar - br, ai + bi) */                \
    T sr = A(ar, br), si = S(ai, bi), dr = S(ar, br), di = A(ai, bi);                                      \
    T wr = w[2 * (k)], wi = w[2 * (k) + 1];                                                                \
    T xr_ = A(M_(sr, HALF), S(M_(dr, wr), M_(di, wi)));                                                    \
    T xi_ = A(M_(si, HALF), A(M_(dr, wi), M_(di, wr)));                                                    \
    A(M_(xr_, xr_), M_(xi_, xi_));                                                                         \
  })

DEFINE_BF4(bf4, f2, ADD, SUB, MUL)
DEFINE_RADIX2(radix2_pair, f2, ADD, SUB, MUL)
DEFINE_FFT_STAGES(fft_stages_pair, f2, ADD, SUB, bf4)

/* Windowed samples 2i, 2i + 1 of frames a (lane 0) and b (lane 1) as the complex z[i]. */
static inline __attribute__((always_inline)) void load_windowed(const float *a, const float *b, int i, f2 *re,
                                                                f2 *im) {
  v128_t va = wasm_v128_load64_zero(a + 2 * i), vb = wasm_v128_load64_zero(b + 2 * i);
  v128_t v = wasm_i32x4_shuffle(va, vb, 0, 4, 1, 5); /* a0 b0 a1 b1 */
  *re = MUL(wasm_f64x2_promote_low_f32x4(v), win2[2 * i]);
  *im = MUL(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)), win2[2 * i + 1]);
}

/*
 * The first radix-4 stage fused with the windowing, reading the samples directly (saves a pass over
 * memory). Only when M is a power of 4 and the window (even) covers the first three quarters of the
 * FFT input (480 of 512: the default); the last quarter's complex points from window/2 on are zero.
 */
static void first_stage_windowed(const float *a, const float *b) {
  int M = cfg_M, q = M / 4;
  int full = cfg_window / 2 - 3 * q; /* points of the last quarter inside the window */
  f2 *xr = zre, *xi = zim;
  const f2 *t = tw;
  int j = 0;
  for (; j < full; j++, t += 6) {
    f2 a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i;
    load_windowed(a, b, j, &a0r, &a0i);
    load_windowed(a, b, j + q, &a1r, &a1i);
    load_windowed(a, b, j + 2 * q, &a2r, &a2i);
    load_windowed(a, b, j + 3 * q, &a3r, &a3i);
    bf4(a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i, t, xr + j, xi + j, xr + j + q, xi + j + q, xr + j + 2 * q,
        xi + j + 2 * q, xr + j + 3 * q, xi + j + 3 * q);
  }
  const f2 zero = wasm_f64x2_splat(0.0);
  for (; j < q; j++, t += 6) {
    f2 a0r, a0i, a1r, a1i, a2r, a2i;
    load_windowed(a, b, j, &a0r, &a0i);
    load_windowed(a, b, j + q, &a1r, &a1i);
    load_windowed(a, b, j + 2 * q, &a2r, &a2i);
    bf4(a0r, a0i, a1r, a1i, a2r, a2i, zero, zero, t, xr + j, xi + j, xr + j + q, xi + j + q, xr + j + 2 * q,
        xi + j + 2 * q, xr + j + 3 * q, xi + j + 3 * q);
  }
}

/*
 * Complex DIF FFT of cfg_M points in (zre, zim), output digit-reversed (see perm); `skip_first`
 * when first_stage_windowed has done the first radix-4 stage.
 */
static void fft_pair(int skip_first) {
  int M = cfg_M, L = M;
  const f2 *tws = tw;
  if (skip_first) {
    tws += 6 * (M / 4);
    L = M / 4;
  } else if (cfg_radix2) {
    radix2_pair(zre, zim, tw2, M);
    L = M / 2;
  }
  fft_stages_pair(zre, zim, tws, M, L);
}

/* float32 rounding of both lanes (TensorFlow's spectrogram output is float32), kept as double. */
static inline f2 round_f32(f2 x) { return wasm_f64x2_promote_low_f32x4(wasm_f32x4_demote_f64x2_zero(x)); }

/* Window and FFT of the frame pair at a (lane 0) and b (lane 1), into (zre, zim). */
static void transform_pair(const float *a, const float *b) {
  if (fused_first) {
    first_stage_windowed(a, b);
    fft_pair(1);
  } else {
    window_pair(a, b);
    fft_pair(0);
  }
}

/* |X[k]|^2 for 0 < k < M from the complex FFT output, rounded to float32 (kept as double). */
static inline __attribute__((always_inline)) f2 split_power(int k) {
  return round_f32(SPLIT_POWER(f2, ADD, SUB, MUL, splat(0.5), zre, zim, split_w, k));
}

/* |X[0]|^2 and |X[M]|^2 (DC and Nyquist), rounded to float32. */
static inline f2 dc_power(void) {
  f2 x0 = ADD(zre[perm[0]], zim[perm[0]]);
  return round_f32(MUL(x0, x0));
}
static inline f2 nyquist_power(void) {
  f2 xm = SUB(zre[perm[0]], zim[perm[0]]);
  return round_f32(MUL(xm, xm));
}

/* Power spectrum of the frame pair into pw[0 .. bins). */
static void power_pair(const float *a, const float *b) {
  transform_pair(a, b);
  int M = cfg_M;
  pw[0] = dc_power();
  pw[M] = nyquist_power();
  for (int k = 1; k < M; k++) pw[k] = split_power(k);
}


/* ---------------------------------------------------------------- filterbank, log, DCT */

/*
 * The filterbank's running sums move on to band `upto`: each band left behind is stored in out, the
 * next band's partial sum becomes the current one (mel_pair, mel_quad).
 */
#define ADVANCE_BANDS(out, upto, zero)  \
  while (cur < (upto)) {                \
    if (cur >= 0) out[cur] = acc_cur;   \
    acc_cur = acc_next;                 \
    acc_next = zero;                    \
    cur++;                              \
  }


/* ln of both lanes, for x >= 1e-12 (normal numbers): the vector form of wb_log. */
static inline __attribute__((always_inline)) f2 log2x(f2 x) {
  const v128_t mant = wasm_i64x2_splat(0x000fffffffffffffLL);
  const v128_t one = wasm_i64x2_splat(0x3ff0000000000000LL);
  v128_t e64 = wasm_i64x2_sub(wasm_u64x2_shr(x, 52), wasm_i64x2_splat(1023));
  f2 m = wasm_v128_or(wasm_v128_and(x, mant), one); /* [1, 2) */
  v128_t big = wasm_f64x2_gt(m, splat(1.41421356237309504880));
  m = wasm_v128_bitselect(MUL(m, splat(0.5)), m, big);
  e64 = wasm_i64x2_sub(e64, big); /* big is all ones (-1) where m was halved: e + 1 */
  f2 de = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(e64, e64, 0, 2, 0, 2));
  f2 fm = SUB(m, splat(1.0));
  f2 s = wasm_f64x2_div(fm, ADD(splat(2.0), fm));
  f2 z = MUL(s, s);
  /* R = 2 z (1/3 + z/5 + ... + z^11/25), in Estrin's scheme (a short dependency chain). */
  f2 z2 = MUL(z, z), z4 = MUL(z2, z2), z8 = MUL(z4, z4);
  f2 p01 = ADD(splat(1.0 / 3), MUL(z, splat(1.0 / 5)));
  f2 p23 = ADD(splat(1.0 / 7), MUL(z, splat(1.0 / 9)));
  f2 p45 = ADD(splat(1.0 / 11), MUL(z, splat(1.0 / 13)));
  f2 p67 = ADD(splat(1.0 / 15), MUL(z, splat(1.0 / 17)));
  f2 p89 = ADD(splat(1.0 / 19), MUL(z, splat(1.0 / 21)));
  f2 pab = ADD(splat(1.0 / 23), MUL(z, splat(1.0 / 25)));
  f2 q0 = ADD(p01, MUL(z2, p23));
  f2 q1 = ADD(p45, MUL(z2, p67));
  f2 q2 = ADD(p89, MUL(z2, pab));
  f2 r = ADD(ADD(q0, MUL(z4, q1)), MUL(z8, q2));
  r = MUL(MUL(splat(2.0), z), r);
  f2 hfsq = MUL(MUL(splat(0.5), fm), fm);
  /* de*LN2_HI - ((hfsq - (s*(hfsq + r) + de*LN2_LO)) - fm) */
  f2 inner = ADD(MUL(s, ADD(hfsq, r)), MUL(de, splat(LN2_LO)));
  return SUB(MUL(de, splat(LN2_HI)), SUB(SUB(hfsq, inner), fm));
}

/*
 * Power spectrum of the frame pair through the mel filterbank, then the floored log, into mel2[]:
 * only the bins the filterbank reads are computed. TensorFlow's filterbank adds, in bin order,
 * sqrt(power) * w to the bin's band and sqrt(power) * (1 - w) (as mag - mag * w) to the next band;
 * band_map is non-decreasing, so band c receives first the second kind from the bins of band c - 1,
 * then the first kind from its own bins. Two running sums (the current band and the next one) make
 * exactly these additions in exactly this order.
 */
static void mel_pair(const float *a, const float *b) {
  transform_pair(a, b);
  int nch = cfg_channels, M = cfg_M;
  int cur = -1; /* band receiving mag * w */
  f2 acc_cur = splat(0.0), acc_next = splat(0.0);
  for (int j = 0; j < mel_count; j++) {
    int k = mel_start + j;
    f2 p = k < M ? split_power(k) : nyquist_power(); /* mel_start >= 1 */
    f2 mag = wasm_f64x2_sqrt(p);
    f2 lo = MUL(mag, wasm_v128_load64_splat(band_w + j));
    int band = band_map[j];
    ADVANCE_BANDS(mel2, band, splat(0.0));
    acc_cur = ADD(acc_cur, lo);
    acc_next = ADD(acc_next, SUB(mag, lo));
  }
  ADVANCE_BANDS(mel2, nch, splat(0.0));
  /* ln(max(x, 1e-12)): independent iterations, two bands each, so that their latencies overlap. */
  const v128_t fl = splat(FLOOR), lf = splat(LOG_FLOOR);
  int c = 0;
  for (; c + 2 <= nch; c += 2) {
    f2 x0 = mel2[c], x1 = mel2[c + 1];
    v128_t g0 = wasm_f64x2_gt(x0, fl), g1 = wasm_f64x2_gt(x1, fl);
    f2 l0 = log2x(wasm_v128_bitselect(x0, fl, g0)), l1 = log2x(wasm_v128_bitselect(x1, fl, g1));
    mel2[c] = wasm_v128_bitselect(l0, lf, g0);
    mel2[c + 1] = wasm_v128_bitselect(l1, lf, g1);
  }
  for (; c < nch; c++) {
    f2 x0 = mel2[c];
    v128_t g0 = wasm_f64x2_gt(x0, fl);
    mel2[c] = wasm_v128_bitselect(log2x(wasm_v128_bitselect(x0, fl, g0)), lf, g0);
  }
}

/* DCT of mel2 into out_a (lane 0) and out_b (lane 1; may be 0). */
static void dct_pair(float *out_a, float *out_b) {
  int n = cfg_channels, h = dct_half, nc = cfg_coeffs;
  for (int j = 0; j < h; j++) {
    f2 a = mel2[j], b = mel2[n - 1 - j];
    dct_s[j] = ADD(a, b);
    dct_d[j] = SUB(a, b);
  }
  int k = 0;
  for (; k + 4 <= nc; k += 4) {
    f2 a0 = splat(0.0), a1 = a0, a2 = a0, a3 = a0;
    const f2 *t = dct_tab + k;
    for (int j = 0; j < h; j++, t += nc) {
      f2 s = dct_s[j], d = dct_d[j];
      a0 = ADD(a0, MUL(s, t[0]));
      a1 = ADD(a1, MUL(d, t[1]));
      a2 = ADD(a2, MUL(s, t[2]));
      a3 = ADD(a3, MUL(d, t[3]));
    }
    out_a[k] = (float)wasm_f64x2_extract_lane(a0, 0);
    out_a[k + 1] = (float)wasm_f64x2_extract_lane(a1, 0);
    out_a[k + 2] = (float)wasm_f64x2_extract_lane(a2, 0);
    out_a[k + 3] = (float)wasm_f64x2_extract_lane(a3, 0);
    if (out_b) {
      out_b[k] = (float)wasm_f64x2_extract_lane(a0, 1);
      out_b[k + 1] = (float)wasm_f64x2_extract_lane(a1, 1);
      out_b[k + 2] = (float)wasm_f64x2_extract_lane(a2, 1);
      out_b[k + 3] = (float)wasm_f64x2_extract_lane(a3, 1);
    }
  }
  for (; k < nc; k++) {
    const f2 *v = (k & 1) ? dct_d : dct_s;
    f2 acc = splat(0.0);
    const f2 *t = dct_tab + k;
    for (int j = 0; j < h; j++, t += nc) acc = ADD(acc, MUL(v[j], *t));
    out_a[k] = (float)wasm_f64x2_extract_lane(acc, 0);
    if (out_b) out_b[k] = (float)wasm_f64x2_extract_lane(acc, 1);
  }
}

/* MFCC of n samples (float32 at s) into out: frame_count(n) x coeffs float32. Returns the frame count. */
EXPORT(compute)
int wb_compute(const float *s, int n, float *out) {
  int frames = wb_frame_count(n);
  int st = cfg_stride, nc = cfg_coeffs;
  for (int f = 0; f < frames; f += 2) {
    int pair = f + 1 < frames;
    const float *a = s + f * st;
    mel_pair(a, pair ? a + st : a);
    dct_pair(out + f * nc, pair ? out + (f + 1) * nc : 0);
  }
  return frames;
}

/* Power spectrogram of n samples into out: frame_count(n) x bins float32 (TensorFlow's AudioSpectrogram). */
EXPORT(spectrogram)
int wb_spectrogram(const float *s, int n, float *out) {
  int frames = wb_frame_count(n);
  int nb = cfg_bins, st = cfg_stride;
  for (int f = 0; f < frames; f += 2) {
    int pair = f + 1 < frames;
    const float *a = s + f * st;
    power_pair(a, pair ? a + st : a);
    float *oa = out + f * nb, *ob = out + (f + 1) * nb;
    for (int k = 0; k < nb; k++) {
      v128_t v = wasm_f32x4_demote_f64x2_zero(pw[k]);
      oa[k] = wasm_f32x4_extract_lane(v, 0);
      if (pair) ob[k] = wasm_f32x4_extract_lane(v, 1);
    }
  }
  return frames;
}

/* ---------------------------------------------------------------- float32 path, four frames a vector */

/*
 * The MFCC in float32 with f32x4 vectors: lane l of every vector is one of four frames, taken in
 * order over a batch of clips (so a clip's frame count need not be a multiple of four). The chain is
 * that of the double path (same FFT split, filterbank order, log, DCT) in single precision, which
 * TensorFlow's own tests accept for these ops (1e-4 relative). The float32 FFT's error matters only
 * in weak bands: a band of magnitude m summing n bins, each off by about C eps32 ||x_w||_2 (the
 * windowed frame's norm) in random directions, has a log error near sqrt(n) C eps32 ||x_w|| / m, and a
 * coefficient about sqrt(2/N) times their sum. Where that estimate exceeds F32_TOLERANCE (near-silence,
 * a pure tone's or a sweep's far bands) the frame is recomputed by the double path; a frame of zeros
 * needs no such care (its float32 FFT is exact). C = 4 and the 1e-4 threshold were calibrated on the
 * TensorFlow references (test/fixtures/tf-audio-ops): with no fallback at all, tones and sweeps are off
 * by up to 7.5e-3; with it, every coefficient is within 1.3e-5 of TensorFlow's (relative, or absolute
 * below 1), and 12 of 6,174 FSDD speech frames fall back (test/unit/audio/mfccWasm.test.ts).
 */
typedef v128_t f4;
#define ADD4 wasm_f32x4_add
#define SUB4 wasm_f32x4_sub
#define MUL4 wasm_f32x4_mul

static const float F32_TOLERANCE = 1e-4f; /* estimated error of a coefficient allowed from the float32 FFT */
static const float FFT_ERR_C = 4.0f;       /* C above (see the comment before typedef f4) */

static f4 *win4, *zre4, *zim4, *tw4, *tw24, *split_w4, *mel4, *dct_tab4, *dct_s4, *dct_d4;
static float *band_wf, *band_nf; /* float32 band weights; sqrt of the bins feeding each band */
static int f32_ready;
static int f32_fallbacks; /* frames recomputed in double since init */

static inline f4 splat4(float x) { return wasm_f32x4_splat(x); }

/* Builds the float32 tables from the double ones (called from init). */
static int init_f32(void) {
  int M = cfg_M, fft = cfg_fft;
  win4 = wb_alloc(sizeof(f4) * fft);
  zre4 = wb_alloc(sizeof(f4) * M);
  zim4 = wb_alloc(sizeof(f4) * M);
  tw4 = wb_alloc(sizeof(f4) * 6 * M);
  tw24 = wb_alloc(sizeof(f4) * 2 * (M / 2));
  split_w4 = wb_alloc(sizeof(f4) * 2 * (M + 1));
  mel4 = wb_alloc(sizeof(f4) * cfg_channels);
  dct_tab4 = wb_alloc(sizeof(f4) * dct_half * cfg_coeffs);
  dct_s4 = wb_alloc(sizeof(f4) * dct_half);
  dct_d4 = wb_alloc(sizeof(f4) * dct_half);
  band_wf = wb_alloc(sizeof(float) * (mel_count + 1));
  band_nf = wb_alloc(sizeof(float) * cfg_channels);
  if (!win4 || !zre4 || !zim4 || !tw4 || !tw24 || !split_w4 || !mel4 || !dct_tab4 || !dct_s4 || !dct_d4 ||
      !band_wf || !band_nf)
    return -3;
  for (int i = 0; i < fft; i++) win4[i] = splat4((float)wasm_f64x2_extract_lane(win2[i], 0));
  for (int i = 0; i < 6 * M; i++) tw4[i] = splat4((float)wasm_f64x2_extract_lane(tw[i], 0));
  if (cfg_radix2)
    for (int i = 0; i < M; i++) tw24[i] = splat4((float)wasm_f64x2_extract_lane(tw2[i], 0));
  for (int i = 0; i < 2 * (M + 1); i++) split_w4[i] = splat4((float)wasm_f64x2_extract_lane(split_w[i], 0));
  for (int i = 0; i < dct_half * cfg_coeffs; i++)
    dct_tab4[i] = splat4((float)wasm_f64x2_extract_lane(dct_tab[i], 0));
  for (int c = 0; c < cfg_channels; c++) band_nf[c] = 0;
  for (int j = 0; j < mel_count; j++) {
    band_wf[j] = (float)band_w[j];
    int b = band_map[j];
    if (b >= 0) band_nf[b] += 1;
    if (b + 1 < cfg_channels) band_nf[b + 1] += 1;
  }
  for (int c = 0; c < cfg_channels; c++) band_nf[c] = __builtin_sqrtf(band_nf[c]);
  f32_ready = 1;
  f32_fallbacks = 0;
  return 0;
}

/* Windowed frames p[0..3] (one per lane) split into z[n] = x[2n] + i x[2n+1]; returns sum (x w)^2 per lane. */
static f4 window_quad(const float *const *p) {
  int n = cfg_window, M = cfg_M, i = 0;
  f4 energy = splat4(0.0f);
  for (; i + 4 <= n; i += 4) {
    v128_t v0 = wasm_v128_load(p[0] + i), v1 = wasm_v128_load(p[1] + i);
    v128_t v2 = wasm_v128_load(p[2] + i), v3 = wasm_v128_load(p[3] + i);
    /* 4x4 transpose: row r = sample i + r of the four frames */
    v128_t t0 = wasm_i32x4_shuffle(v0, v1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(v2, v3, 0, 4, 1, 5);
    v128_t t2 = wasm_i32x4_shuffle(v0, v1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(v2, v3, 2, 6, 3, 7);
    f4 r0 = MUL4(wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5), win4[i]);
    f4 r1 = MUL4(wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7), win4[i + 1]);
    f4 r2 = MUL4(wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5), win4[i + 2]);
    f4 r3 = MUL4(wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7), win4[i + 3]);
    int h = i >> 1;
    zre4[h] = r0;
    zim4[h] = r1;
    zre4[h + 1] = r2;
    zim4[h + 1] = r3;
    energy = ADD4(energy, ADD4(ADD4(MUL4(r0, r0), MUL4(r1, r1)), ADD4(MUL4(r2, r2), MUL4(r3, r3))));
  }
  for (; i < n; i++) {
    f4 v = MUL4(wasm_f32x4_make(p[0][i], p[1][i], p[2][i], p[3][i]), win4[i]);
    energy = ADD4(energy, MUL4(v, v));
    if (i & 1) zim4[i >> 1] = v;
    else zre4[i >> 1] = v;
  }
  if (n & 1) zim4[n >> 1] = splat4(0.0f);
  for (int h = (n + 1) >> 1; h < M; h++) {
    zre4[h] = splat4(0.0f);
    zim4[h] = splat4(0.0f);
  }
  return energy;
}

DEFINE_BF4(bf4q, f4, ADD4, SUB4, MUL4)
DEFINE_RADIX2(radix2_quad, f4, ADD4, SUB4, MUL4)
DEFINE_FFT_STAGES(fft_stages_quad, f4, ADD4, SUB4, bf4q)

/* The complex DIF FFT of fft_pair, in float32 on (zre4, zim4). */
static void fft_quad(void) {
  int M = cfg_M, L = M;
  if (cfg_radix2) {
    radix2_quad(zre4, zim4, tw24, M);
    L = M / 2;
  }
  fft_stages_quad(zre4, zim4, tw4, M, L);
}

/* |X[k]|^2 for 0 < k < M, float32. */
static inline __attribute__((always_inline)) f4 split_power4(int k) {
  return SPLIT_POWER(f4, ADD4, SUB4, MUL4, splat4(0.5f), zre4, zim4, split_w4, k);
}

/* ln of four floats x >= 1e-12: x = m 2^e, m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(f), f^2 <= 0.0295:
   terms through f^9 leave < 2e-9 relative. */
static inline __attribute__((always_inline)) f4 log4(f4 x) {
  v128_t e = wasm_i32x4_sub(wasm_u32x4_shr(x, 23), wasm_i32x4_splat(127));
  f4 m = wasm_v128_or(wasm_v128_and(x, wasm_i32x4_splat(0x007fffff)), wasm_i32x4_splat(0x3f800000));
  v128_t big = wasm_f32x4_gt(m, splat4(1.41421356f));
  m = wasm_v128_bitselect(MUL4(m, splat4(0.5f)), m, big);
  e = wasm_i32x4_sub(e, big);
  f4 f = wasm_f32x4_div(SUB4(m, splat4(1.0f)), ADD4(m, splat4(1.0f)));
  f4 z = MUL4(f, f);
  f4 poly = ADD4(splat4(1.0f / 3), MUL4(z, ADD4(splat4(1.0f / 5), MUL4(z, ADD4(splat4(1.0f / 7), MUL4(z, splat4(1.0f / 9)))))));
  f4 lnm = MUL4(MUL4(splat4(2.0f), f), ADD4(splat4(1.0f), MUL4(z, poly)));
  return ADD4(MUL4(wasm_f32x4_convert_i32x4(e), splat4(0.693147181f)), lnm);
}

/*
 * Window, FFT, power, filterbank and log of four frames into mel4; returns per lane whether the
 * float32 error bound holds (all ones) or the frame must be recomputed in double (zero).
 */
static v128_t mel_quad(const float *const *p) {
  f4 energy = window_quad(p);
  fft_quad();
  int nch = cfg_channels, M = cfg_M;
  int cur = -1;
  f4 acc_cur = splat4(0.0f), acc_next = splat4(0.0f);
  for (int j = 0; j < mel_count; j++) {
    int k = mel_start + j;
    f4 pw4;
    if (k < M) pw4 = split_power4(k);
    else {
      f4 xm = SUB4(zre4[perm[0]], zim4[perm[0]]);
      pw4 = MUL4(xm, xm);
    }
    f4 mag = wasm_f32x4_sqrt(pw4);
    f4 lo = MUL4(mag, wasm_v128_load32_splat(band_wf + j));
    int band = band_map[j];
    ADVANCE_BANDS(mel4, band, splat4(0.0f));
    acc_cur = ADD4(acc_cur, lo);
    acc_next = ADD4(acc_next, SUB4(mag, lo));
  }
  ADVANCE_BANDS(mel4, nch, splat4(0.0f));
  /* error estimate: sqrt(2/N) B sum_b sqrt(n_b) / m_b <= tolerance, B = C eps32 ||x_w|| (band_nf: sqrt(n_b)) */
  f4 ratio = splat4(0.0f);
  const f4 fl = splat4(1e-12f), lf = splat4(-27.6310211f);
  for (int c = 0; c < nch; c++) {
    f4 x = mel4[c];
    ratio = ADD4(ratio, wasm_f32x4_div(wasm_v128_load32_splat(band_nf + c), wasm_f32x4_max(x, fl)));
    v128_t g = wasm_f32x4_gt(x, fl);
    mel4[c] = wasm_v128_bitselect(log4(wasm_v128_bitselect(x, fl, g)), lf, g);
  }
  float scale = FFT_ERR_C * 5.96e-8f * __builtin_sqrtf(2.0f / (float)nch);
  f4 bound = MUL4(MUL4(ratio, wasm_f32x4_sqrt(energy)), splat4(scale));
  v128_t silent = wasm_f32x4_eq(energy, splat4(0.0f));
  return wasm_v128_or(wasm_f32x4_le(bound, splat4(F32_TOLERANCE)), silent);
}

/* DCT of mel4 into out[l] for each lane l. */
static void dct_quad(float *const *out) {
  int n = cfg_channels, h = dct_half, nc = cfg_coeffs;
  for (int j = 0; j < h; j++) {
    f4 a = mel4[j], b = mel4[n - 1 - j];
    dct_s4[j] = ADD4(a, b);
    dct_d4[j] = SUB4(a, b);
  }
  for (int k = 0; k < nc; k++) {
    const f4 *v = (k & 1) ? dct_d4 : dct_s4;
    f4 acc = splat4(0.0f);
    const f4 *t = dct_tab4 + k;
    for (int j = 0; j < h; j++, t += nc) acc = ADD4(acc, MUL4(v[j], *t));
    out[0][k] = wasm_f32x4_extract_lane(acc, 0);
    out[1][k] = wasm_f32x4_extract_lane(acc, 1);
    out[2][k] = wasm_f32x4_extract_lane(acc, 2);
    out[3][k] = wasm_f32x4_extract_lane(acc, 3);
  }
}

/*
 * MFCC of `clips` clips of n samples each (contiguous at s) in float32, four frames at a time across
 * the clips, into out: clips x frame_count(n) x coeffs. Returns the frames computed.
 */
EXPORT(compute_f32_batch)
int wb_compute_f32_batch(const float *s, int n, int clips, float *out) {
  if (!f32_ready) return -1;
  int frames = wb_frame_count(n), nc = cfg_coeffs, st = cfg_stride;
  int total = frames * clips;
  static float scratch[4][1024];
  for (int g = 0; g < total; g += 4) {
    const float *p[4];
    float *o[4];
    int live = total - g < 4 ? total - g : 4;
    for (int l = 0; l < 4; l++) {
      int gl = g + (l < live ? l : 0);
      int c = gl / frames, f = gl % frames;
      p[l] = s + c * n + f * st;
      o[l] = l < live && nc <= 1024 ? out + (long)gl * nc : scratch[l];
    }
    v128_t ok = mel_quad(p);
    dct_quad(o);
    for (int l = 0; l < live; l++) {
      int lane_ok = l == 0   ? wasm_i32x4_extract_lane(ok, 0)
                    : l == 1 ? wasm_i32x4_extract_lane(ok, 1)
                    : l == 2 ? wasm_i32x4_extract_lane(ok, 2)
                             : wasm_i32x4_extract_lane(ok, 3);
      if (!lane_ok) {
        mel_pair(p[l], p[l]);
        dct_pair(o[l], 0);
        f32_fallbacks++;
      }
    }
  }
  return total;
}

/* Frames the float32 path recomputed in double since init. */
EXPORT(f32_fallbacks) int wb_f32_fallbacks(void) { return f32_fallbacks; }

/* Natural log and cosine, exported for tests of their accuracy. */
EXPORT(log) double wb_log_export(double x) { return wb_log(x); }
EXPORT(log_simd) double wb_log_simd_export(double x) { return wasm_f64x2_extract_lane(log2x(splat(x)), 0); }
EXPORT(cos) double wb_cos_export(double x) { return wb_cos(x); }

#ifdef WB_BENCH
/* Stage timings (built only with -DWB_BENCH, for profiling): each runs its stage `pairs` times. */
EXPORT(bench_window) void bench_window(const float *s, int pairs) {
  for (int i = 0; i < pairs; i++) window_pair(s + 320 * i, s + 320 * i + 160);
}
EXPORT(bench_fft) void bench_fft(int pairs) {
  for (int i = 0; i < pairs; i++) fft_pair(0);
}
EXPORT(bench_power) void bench_power(const float *s, int pairs) {
  for (int i = 0; i < pairs; i++) power_pair(s + 320 * i, s + 320 * i + 160);
}
EXPORT(bench_mel) void bench_mel(const float *s, int pairs) {
  for (int i = 0; i < pairs; i++) mel_pair(s + 320 * i, s + 320 * i + 160);
}
EXPORT(bench_dct) void bench_dct(float *out, int pairs) {
  for (int i = 0; i < pairs; i++) dct_pair(out, out + 40);
}
#endif
