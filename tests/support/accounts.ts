import { action as joinAction } from "~/routes/join";
import { action as loginAction } from "~/routes/login";
import { cookieFrom, submitForm } from "./requests";

let sequence = 0;

export const GOOD_PASSWORD = "maple syrup on tuesdays";

export type MemberFields = {
  displayName: string;
  username: string;
  email: string;
  password: string;
  libraryType: string;
  community: string;
};

/** Fields for a valid sign-up, unique within the test run. */
export function newMemberFields(overrides: Partial<MemberFields> = {}): MemberFields {
  const handle = `librarian-${process.pid.toString(36)}-${(++sequence).toString(36)}`;
  return {
    displayName: `Librarian ${sequence}`,
    username: handle,
    email: `${handle}@example.org`,
    password: GOOD_PASSWORD,
    libraryType: "public",
    community: "Lakeside",
    ...overrides,
  };
}

// Each sign-up comes from its own address unless a test says otherwise, so the
// per-address sign-up limit only shows up in the test about it.
let addressSequence = 0;
const nextClientIp = () => `198.18.${Math.floor(++addressSequence / 250)}.${addressSequence % 250}`;

/** Signs up through /join and returns the session cookie it set. */
export async function joinAs(fields: MemberFields = newMemberFields(), clientIp = nextClientIp()) {
  const answer = await submitForm(joinAction, "/join", fields, { clientIp });
  if (answer.status !== 302)
    throw new Error(`Joining failed with ${answer.status}: ${JSON.stringify(answer.data)}`);
  return { fields, cookie: cookieFrom(answer) };
}

/** Logs in through /login and returns the session cookie. */
export async function logIn(email: string, password: string, clientIp?: string) {
  const answer = await submitForm(loginAction, "/login", { email, password }, { clientIp });
  if (answer.status !== 302)
    throw new Error(`Logging in failed with ${answer.status}: ${JSON.stringify(answer.data)}`);
  return cookieFrom(answer);
}
