import { afterEach, beforeEach, vi, type MockInstance } from "vitest";

// A test that logs an unexpected console.error fails: an error message in a
// passing test is a bug nobody is looking at.
let consoleError: MockInstance<typeof console.error> | undefined;

beforeEach(() => {
  consoleError = vi.spyOn(console, "error");
});

afterEach(() => {
  const calls = consoleError?.mock.calls ?? [];
  consoleError?.mockRestore();
  if (calls.length > 0) {
    const printed = calls.map((args) => args.map((arg: unknown) => String(arg)).join(" ")).join("\n");
    throw new Error(`console.error was called during the test:\n${printed}`);
  }
});
