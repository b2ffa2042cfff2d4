import { z } from "zod";
import { Email, Password, Timestamp } from "../../http/schemas.ts";
import { OrganizationBody, UserBody } from "../account/schema.ts";

export const SignupBody = z
  .strictObject({
    email: Email,
    password: Password,
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
