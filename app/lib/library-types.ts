/** The kinds of library a member works in, as stored. */
export const libraryTypes = ["school", "public", "academic", "other"] as const;
export type LibraryType = (typeof libraryTypes)[number];

export const libraryTypeLabels: Record<LibraryType, string> = {
  school: "School library",
  public: "Public library",
  academic: "Academic library",
  other: "Other",
};
