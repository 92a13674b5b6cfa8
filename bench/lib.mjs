// Shared by the benchmarks: deterministic random numbers (the same data in every run) and small statistics.

/** mulberry32: a small deterministic uniform generator on [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function normalFrom(uniform) {
  return Math.sqrt(-2 * Math.log(Math.max(uniform(), 1e-300))) * Math.cos(2 * Math.PI * uniform());
}

/** Uniform and normal generators sharing one seeded stream. */
export function rngPair(seed) {
  const uniform = mulberry32(seed);
  return { uniform, normal: () => normalFrom(uniform) };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
