import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { AuthForm } from "./AuthForm.tsx";

export function SignUp() {
  return (
    <AuthForm
      title="Create your Upfleet account"
      submit="Sign up"
      fields={[
        { name: "organization_name", label: "Organization", type: "text", autoComplete: "organization" },
        { name: "email", label: "Email", type: "email", autoComplete: "username" },
        { name: "password", label: "Password (10 characters or more)", type: "password", autoComplete: "new-password" },
      ]}
      send={async (values) => {
        const { data } = await api().api.POST("/api/v1/auth/signup", {
          body: {
            email: values.email ?? "",
            password: values.password ?? "",
            organization_name: values.organization_name ?? "",
          },
        });
        return data!;
      }}
      footer={
        <>
          Have an account? <Link to="/sign-in">Sign in</Link>
        </>
      }
    />
  );
}
