/** The most requests received in any one-second window (times sorted ascending). */
export function busiestSecond(times: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** The rate achieved between the first and last request, and the busiest one-second window. */
export function pace(times: number[]): { rate: number; seconds: number; busiest: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const seconds = ((sorted.at(-1) as number) - (sorted[0] as number)) / 1000;
  return { rate: (sorted.length - 1) / seconds, seconds, busiest: busiestSecond(sorted) };
}

/** Sends in each second from the first (times sorted ascending): where a pace dipped. */
export function perSecond(times: number[]): number[] {
  const counts: number[] = [];
  for (const t of times) {
    const i = Math.floor((t - (times[0] as number)) / 1000);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return Array.from(counts, (c) => c ?? 0);
}
