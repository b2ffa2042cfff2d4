import { ValidationError } from "@upfleet/errors";
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | undefined;

/**
 * The 49,000 most common passwords of leaked sets, as ranked by zxcvbn-ts
 * (`@zxcvbn-ts/language-common`, "passwords-common"), lower-cased: a list the first guesses of any
 * attack start with. Built on first use, not at import.
 */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"].map((password) => password.toLowerCase()));
  return common;
}

/**
 * Why a new password is refused, or null when it is acceptable. The length rule (10–256) is the
 * schema's; these are the guessable ones: nothing but whitespace, one character repeated, or a
 * password from the common list (compared case-insensitively, so `PassWord12` is refused too).
 */
export function passwordProblem(password: string): string | null {
  if (password.trim() === "") return "must not be only whitespace";
  const characters = [...password.toLowerCase()];
  if (characters.every((character) => character === characters[0])) return "must not be one character repeated";
  if (commonPasswords().has(password.toLowerCase()) || commonPasswords().has(password.trim().toLowerCase())) {
    return "is one of the most common passwords; choose another";
  }
  return null;
}

/** For the services: the same rule whoever calls them, as a 400 naming `password`. */
export function assertAcceptablePassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError([{ path: "password", message: problem }]);
}
