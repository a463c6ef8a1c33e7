import {
  privacyConcernExplanations,
  privacyConcernLabels,
  type PrivacyConcern,
  type PrivacyConcernKind,
} from "~/lib/privacy-check";
import { CheckboxField } from "./form";

/** The name of the checkbox that publishes despite the privacy check (docs/privacy-check.md). */
export const PRIVACY_CONFIRMATION_FIELD = "privacyConfirmed";

export const PUBLISH_ANYWAY_LABEL = "Publish anyway: I have checked this does not identify a child";

/** The form-level message after a refused Publish; the notice inside the form lists the passages. */
export const PRIVACY_REFUSAL =
  "This may identify a student. Check the passages listed above the button, then edit them or tick “Publish anyway” and publish again.";

/**
 * The passages the privacy check found, what each kind means, and the box that
 * publishes anyway. It sits inside the form, so the box is sent with the text.
 */
export function PrivacyNotice({ concerns, idPrefix }: { concerns: PrivacyConcern[]; idPrefix: string }) {
  if (concerns.length === 0) return null;
  const kinds = [...new Set(concerns.map((concern) => concern.kind))] as PrivacyConcernKind[];
  const titleId = `${idPrefix}-privacy-title`;
  return (
    <section className="notice privacy-notice" aria-labelledby={titleId}>
      <p id={titleId}>
        <strong>This may identify a student</strong>
      </p>
      <ul>
        {concerns.map((concern) => (
          <li key={`${concern.kind}-${concern.start}`}>
            {privacyConcernLabels[concern.kind]} “{concern.passage}”
          </li>
        ))}
      </ul>
      <ul className="privacy-notice__why">
        {kinds.map((kind) => (
          <li key={kind}>{privacyConcernExplanations[kind]}</li>
        ))}
      </ul>
      <p>Edit the text, or, if you are sure it identifies no child, tick the box and publish again.</p>
      <CheckboxField
        id={`${idPrefix}-privacy-confirmed`}
        name={PRIVACY_CONFIRMATION_FIELD}
        value="yes"
        label={PUBLISH_ANYWAY_LABEL}
        hint="Unless you are a moderator, it then waits for a moderator to look at it before anyone else sees it."
      />
    </section>
  );
}
