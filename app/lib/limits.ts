// Limits that forms show and actions enforce (app/lib/validation.ts); kept free
// of imports so pages can show them without shipping the validator.

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
/** How long a password-reset link works. */
export const RESET_TOKEN_MINUTES = 60;

export const TITLE_MIN = 8;
export const TITLE_MAX = 150;
export const BODY_MAX = 20_000;
export const COMMENT_MAX = 10_000;
export const TAGS_MAX = 5;
