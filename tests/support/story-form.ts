/** The fields of a complete Success story as the composer posts them (without intent, title or submission key). */
export const storyFormFields = {
  kind: "story",
  body: "We moved the table to the front door.",
  tags: "library-cards",
  partners: ["school_library", "public_library"],
  gradeBands: ["k_2", "3_5"],
  programType: "library_card_drive",
  reach: "310",
  outcomeMeasure: "library cards issued",
  outcomeBefore: "40",
  outcomeAfter: "310",
  staffHours: "14",
  wouldChange: "Bring two card printers.",
};
