import { describe, expect, it } from "vitest";
import { MEASURED_THREADS, postingThreadId } from "../../bench/seed";

// The benchmark's posting rounds reply to threads by id. A thread that was
// never seeded makes the raw baseline's INSERT fail, which the benchmark
// reports as errors against the "no 5xx" budget.
describe("the threads the benchmark posts replies to", () => {
  const threadsFor = (postCount: number) =>
    new Set(Array.from({ length: 5_000 }, (_, attempt) => postingThreadId(attempt, postCount)));
  const measured: number[] = Object.values(MEASURED_THREADS).map((thread) => thread.id);

  it.each([100, 1_000, 10_000, 100_000])(
    "exist in a forum of %i posts and are none of the measured ones",
    (posts) => {
      const threads = [...threadsFor(posts)];
      expect(Math.min(...threads)).toBeGreaterThanOrEqual(100);
      expect(Math.max(...threads)).toBeLessThanOrEqual(posts);
      expect(threads.filter((id) => measured.includes(id))).toEqual([]);
    },
  );

  it("spread over a thousand threads on the full-scale forum", () => {
    expect(threadsFor(100_000).size).toBe(1_000);
  });
});
