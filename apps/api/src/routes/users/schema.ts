import { z } from "zod";
import { Email, idParam, listOf, Password } from "../../http/schemas.ts";
import { UserBody } from "../account/schema.ts";

export const CreateUserBody = z
  .strictObject({ email: Email, password: Password, role: z.enum(["admin", "member", "viewer"]) })
  .meta({ id: "CreateUserRequest" });

export const UserList = listOf(UserBody, "UserList");
export const UserParams = idParam("usr");
