/** What the global setup hands each test file: where to copy its fresh database from. */
export type DatabaseTemplate =
  { driver: "postgres"; serverUrl: string; templateName: string } | { driver: "pglite"; dumpPath: string };

declare module "vitest" {
  export interface ProvidedContext {
    databaseTemplate: DatabaseTemplate;
  }
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function uniqueDatabaseName(prefix: string) {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
