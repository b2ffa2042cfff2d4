import { type FormEvent, type ReactNode, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { type FormErrors, formErrors } from "../../api/field-errors.ts";
import { setSession } from "../../api/session.ts";
import { Field, FormAlert } from "../../components/Field.tsx";

interface AuthField {
  name: string;
  label: string;
  type: "email" | "password" | "text";
  autoComplete: string;
}

interface Props {
  title: string;
  submit: string;
  fields: AuthField[];
  /** Sends the form's values; answers the session the API gave. */
  send: (values: Record<string, string>) => Promise<{ token: string; expires_at: string }>;
  footer: ReactNode;
}

/** Sign-in and sign-up: the same form around a different call; the session starts on success. */
export function AuthForm({ title, submit, fields, send, footer }: Props) {
  const navigate = useNavigate();
  const location = useLocation();
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: [] });
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    setBusy(true);
    try {
      const session = await send(values);
      setSession({ token: session.token, expiresAt: session.expires_at, email: values.email ?? "" });
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from ?? "/monitors", { replace: true });
    } catch (error) {
      setErrors(
        formErrors(
          error,
          fields.map((f) => f.name),
        ),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="auth" id="main">
      <form onSubmit={onSubmit} noValidate aria-labelledby="auth-title" className="card">
        <h1 id="auth-title">{title}</h1>
        <FormAlert messages={errors.general} />
        {fields.map((field) => (
          <Field key={field.name} label={field.label} error={errors.fields[field.name]}>
            {(control) => (
              <input {...control} name={field.name} type={field.type} autoComplete={field.autoComplete} required />
            )}
          </Field>
        ))}
        <button type="submit" disabled={busy}>
          {submit}
        </button>
        <p className="muted">{footer}</p>
      </form>
    </main>
  );
}
