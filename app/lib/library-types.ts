import type { LibraryType } from "~/db/schema";

export const libraryTypeLabels: Record<LibraryType, string> = {
  school: "School library",
  public: "Public library",
  academic: "Academic library",
  other: "Other",
};
