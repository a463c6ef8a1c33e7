import { Link } from "@remix-run/react";
import { useSyncExternalStore } from "react";
import { GRADE_BAND_LABELS, GRADE_BANDS } from "~/lib/grade-bands";
import {
  OUTCOME_MEASURE_MAX,
  PROGRAM_TYPE_LABELS,
  PROGRAM_TYPES,
  STORY_NUMBER_MAX,
  STORY_PARTNER_LABELS,
  STORY_PARTNERS,
  WOULD_CHANGE_MAX,
} from "~/lib/story-fields";
import { SelectField, TextAreaField, TextField } from "./form";

type Props = {
  /** The composer's values: a checkbox group's ticked values come comma-joined ("teachers,families"). */
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
};

const programOptions = PROGRAM_TYPES.map((value) => ({ value, label: PROGRAM_TYPE_LABELS[value] }));
const numberHint = `A whole number, up to ${STORY_NUMBER_MAX.toLocaleString("en-US")}.`;

/**
 * The Success story part of the post composer. Without JavaScript it is always
 * on the page, marked "Only for success stories", and the server ignores it for
 * other kinds; with JavaScript it shows only while Type is Success story.
 */
export function StoryFields({ values, errors }: Props) {
  const kind = useComposerKind();
  const hidden = kind !== null && kind !== "story";
  const partners = new Set(values.partners?.split(",") ?? []);
  const gradeBands = new Set(values.gradeBands?.split(",") ?? []);
  return (
    <fieldset className="story-fields" hidden={hidden} aria-describedby="story-fields-hint">
      <legend>Success story details</legend>
      <p id="story-fields-hint" className="field__hint">
        {kind === null ? "Only for success stories. " : null}
        Fill in what you can; once you use any of it, choose the program type. It shows as a card above your
        story and lets others find it on the Stories page.
      </p>
      {values.triedFrom ? (
        <div className="field">
          <input type="hidden" name="triedFrom" value={values.triedFrom} />
          <p className="story-fields__follow-up">
            Following up on:{" "}
            {values.triedFromTitle ? (
              <Link to={`/posts/${values.triedFrom}`}>{values.triedFromTitle}</Link>
            ) : (
              "an earlier story"
            )}
          </p>
          {errors.triedFrom ? (
            <p id="field-triedFrom-error" className="field__error">
              {errors.triedFrom.join(" ")}
            </p>
          ) : null}
        </div>
      ) : null}
      <CheckboxGroup
        legend="Partners"
        name="partners"
        options={STORY_PARTNERS.map((value) => ({ value, label: STORY_PARTNER_LABELS[value] }))}
        checked={partners}
        errors={errors.partners}
      />
      <CheckboxGroup
        legend="Grade bands"
        name="gradeBands"
        options={GRADE_BANDS.map((value) => ({ value, label: GRADE_BAND_LABELS[value] }))}
        checked={gradeBands}
        errors={errors.gradeBands}
      />
      <SelectField
        label="Program type"
        name="programType"
        options={programOptions}
        placeholder="Choose…"
        defaultValue={values.programType ?? ""}
        errors={errors.programType}
      />
      <TextField
        label="Reach (students or families)"
        name="reach"
        inputMode="numeric"
        defaultValue={values.reach}
        errors={errors.reach}
        hint={numberHint}
      />
      <fieldset className="story-fields__outcome">
        <legend>Outcome</legend>
        <p className="field__hint">
          What changed, with the numbers before and after: for example library cards issued, 40 and 310.
        </p>
        <TextField
          label="Outcome measure"
          name="outcomeMeasure"
          defaultValue={values.outcomeMeasure}
          errors={errors.outcomeMeasure}
          hint={`Up to ${OUTCOME_MEASURE_MAX} characters.`}
        />
        <div className="story-fields__figures">
          <TextField
            label="Before"
            name="outcomeBefore"
            inputMode="numeric"
            defaultValue={values.outcomeBefore}
            errors={errors.outcomeBefore}
          />
          <TextField
            label="After"
            name="outcomeAfter"
            inputMode="numeric"
            defaultValue={values.outcomeAfter}
            errors={errors.outcomeAfter}
          />
        </div>
      </fieldset>
      <TextField
        label="Staff hours"
        name="staffHours"
        inputMode="numeric"
        defaultValue={values.staffHours}
        errors={errors.staffHours}
        hint={numberHint}
      />
      <TextAreaField
        label="What I would change"
        name="wouldChange"
        rows={4}
        defaultValue={values.wouldChange}
        errors={errors.wouldChange}
        hint={`Up to ${WOULD_CHANGE_MAX.toLocaleString("en-US")} characters.`}
      />
    </fieldset>
  );
}

function CheckboxGroup({
  legend,
  name,
  options,
  checked,
  errors,
}: {
  legend: string;
  name: string;
  options: { value: string; label: string }[];
  checked: Set<string>;
  errors?: string[];
}) {
  const errorId = errors?.length ? `field-${name}-error` : undefined;
  return (
    <fieldset className="checkbox-group" aria-describedby={errorId}>
      <legend>{legend}</legend>
      <ul>
        {options.map((option) => (
          <li key={option.value}>
            <input
              type="checkbox"
              id={`field-${name}-${option.value}`}
              name={name}
              value={option.value}
              defaultChecked={checked.has(option.value)}
            />
            <label htmlFor={`field-${name}-${option.value}`}>{option.label}</label>
          </li>
        ))}
      </ul>
      {errorId ? (
        <p id={errorId} className="field__error">
          {errors!.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * The Type chosen in the surrounding form, followed as it changes; null on the
 * server and while hydrating, so the page without JavaScript shows the part.
 */
function useComposerKind() {
  return useSyncExternalStore(subscribeToKind, currentKind, () => null);
}

function currentKind() {
  return document.querySelector<HTMLSelectElement>('.post-form select[name="kind"]')?.value ?? null;
}

function subscribeToKind(onChange: () => void) {
  // Listening on the document survives the form being re-rendered with a new key.
  document.addEventListener("change", onChange);
  return () => document.removeEventListener("change", onChange);
}
