import { hash, verify } from "@node-rs/argon2";

// Algorithm is a const enum that isolatedModules cannot inline: 2 is Argon2id.
const ARGON2ID = 2;
// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const argon2Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string) {
  return hash(password, argon2Options);
}

export function verifyPassword(passwordHash: string, password: string) {
  return verify(passwordHash, password);
}
