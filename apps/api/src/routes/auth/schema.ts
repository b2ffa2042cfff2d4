import { passwordProblem } from "@upfleet/accounts";
import { z } from "zod";
import { Email, Password, Timestamp } from "../../http/schemas.ts";
import { OrganizationBody, UserBody } from "../account/schema.ts";

/** A password being set (sign-up, POST /users): 10–256 characters, and none of the guessable ones. */
export const NewPassword = Password.superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}).meta({
  description:
    "10–256 characters; not only whitespace, not one character repeated, not one of the most common passwords (case-insensitive)",
});

export const SignupBody = z
  .strictObject({
    email: Email,
    password: NewPassword,
    organization_name: z.string().trim().min(1).max(200),
  })
  .meta({ id: "SignupRequest" });

export const LoginBody = z
  .strictObject({ email: Email, password: z.string().min(1).max(256) })
  .meta({ id: "LoginRequest" });

export const SessionBody = z.object({ token: z.string(), expires_at: Timestamp }).meta({ id: "Session" });

export const SignupResult = z
  .object({ user: UserBody, organization: OrganizationBody, token: z.string(), expires_at: Timestamp })
  .meta({ id: "SignupResult" });
