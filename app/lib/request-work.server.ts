import { AsyncLocalStorage } from "node:async_hooks";

/** What serving one request cost: the benchmark reads it from a response header. */
export type RequestWork = { statements: number; writes: number; markdown: number };

// One store per process, shared by server/index.ts and the app's bundle (which
// each load this module on their own), as db.server.ts shares its connection.
const globalState = globalThis as typeof globalThis & {
  __crosswalkRequestWork?: AsyncLocalStorage<RequestWork>;
};
const requestWork = (globalState.__crosswalkRequestWork ??= new AsyncLocalStorage<RequestWork>());

const WRITE_STATEMENT =
  /^\s*(?:with\b[\s\S]*?\b)?(?:insert|update|delete|merge|copy|truncate)\b|\bfor\s+(?:no\s+key\s+)?update\b/i;

/** Runs `work` with a fresh tally, which it is given; statements and markdown renders inside it are counted. */
export function withRequestWork<T>(work: (tally: RequestWork) => T): { tally: RequestWork; result: T } {
  const tally: RequestWork = { statements: 0, writes: 0, markdown: 0 };
  return { tally, result: requestWork.run(tally, () => work(tally)) };
}

export function noteStatement(query: string) {
  const tally = requestWork.getStore();
  if (!tally) return;
  tally.statements++;
  if (WRITE_STATEMENT.test(query)) tally.writes++;
}

export function noteMarkdownWork() {
  const tally = requestWork.getStore();
  if (tally) tally.markdown++;
}
