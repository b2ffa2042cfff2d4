import { z } from "zod";
import { Email, idParam, listOf } from "../../http/schemas.ts";
import { UserBody } from "../account/schema.ts";
import { NewPassword } from "../auth/schema.ts";

export const CreateUserBody = z
  .strictObject({ email: Email, password: NewPassword, role: z.enum(["admin", "member", "viewer"]) })
  .meta({ id: "CreateUserRequest" });

export const UserList = listOf(UserBody, "UserList");
export const UserParams = idParam("usr");
