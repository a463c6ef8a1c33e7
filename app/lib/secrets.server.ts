import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { readEnvironment } from "./env.server";

let cachedSessionSecret: string | undefined;

/**
 * SESSION_SECRET, or a random one generated once into DATA_DIR so that a
 * fresh `npm start` signs cookies without any setup and keeps them valid
 * across restarts.
 */
export function getSessionSecret(): string {
  if (cachedSessionSecret) return cachedSessionSecret;
  const environment = readEnvironment();
  if (environment.SESSION_SECRET) return (cachedSessionSecret = environment.SESSION_SECRET);
  const secretPath = path.join(environment.dataDir, "session-secret");
  fs.mkdirSync(environment.dataDir, { recursive: true });
  try {
    fs.writeFileSync(secretPath, crypto.randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  cachedSessionSecret = fs.readFileSync(secretPath, "utf8").trim();
  return cachedSessionSecret;
}

/** SHA-256 of a bearer token: what the database keeps instead of the token itself. */
export function hashToken(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function randomToken() {
  return crypto.randomBytes(32).toString("base64url");
}
