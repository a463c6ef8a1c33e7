/** Grade bands, shared by success stories and booklists (values as stored, labels as shown). */
export const GRADE_BANDS = ["prek", "k_2", "3_5", "6_8", "9_12", "all_ages"] as const;
export type GradeBand = (typeof GRADE_BANDS)[number];

export const GRADE_BAND_LABELS: Record<GradeBand, string> = {
  prek: "PreK",
  k_2: "K–2",
  "3_5": "3–5",
  "6_8": "6–8",
  "9_12": "9–12",
  all_ages: "All ages",
};

export function isGradeBand(value: unknown): value is GradeBand {
  return typeof value === "string" && (GRADE_BANDS as readonly string[]).includes(value);
}
