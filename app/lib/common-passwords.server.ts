import { dictionary } from "@zxcvbn-ts/language-common";
import { PASSWORD_MIN } from "./validation";

// zxcvbn's list of the most used passwords (about 50,000, from real breaches),
// kept to those long enough to pass the length rule: shorter ones are refused anyway.
const commonPasswords = new Set(
  dictionary["passwords-common"]
    .filter((password) => password.length >= PASSWORD_MIN)
    .map((password) => password.toLowerCase()),
);

/** True for a password that appears on lists attackers try first. */
export function isCommonPassword(password: string) {
  return commonPasswords.has(password.toLowerCase());
}

export const COMMON_PASSWORD_MESSAGE =
  "That password is on the lists attackers try first. Choose a longer phrase that only you would think of.";
