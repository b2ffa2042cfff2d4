import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { AuthForm } from "./AuthForm.tsx";

export function SignIn() {
  return (
    <AuthForm
      title="Sign in to Upfleet"
      submit="Sign in"
      fields={[
        { name: "email", label: "Email", type: "email", autoComplete: "username" },
        { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
      ]}
      send={async (values) => {
        const { data } = await api().api.POST("/api/v1/auth/login", {
          body: { email: values.email ?? "", password: values.password ?? "" },
        });
        return data!;
      }}
      footer={
        <>
          New here? <Link to="/sign-up">Create an account</Link>
        </>
      }
    />
  );
}
