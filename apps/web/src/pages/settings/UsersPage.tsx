import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { api, type components } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { Field, FormAlert } from "../../components/Field.tsx";
import { dateTime } from "../../components/format.ts";
import { ListPage } from "../../components/ListPage.tsx";
import type { TableColumn } from "../../components/Table.tsx";
import { SettingsNav } from "./SettingsNav.tsx";
import { ROLES } from "./settings-forms.ts";

type User = components["schemas"]["User"];
type Role = components["schemas"]["CreateUserRequest"]["role"];

/** /settings/users: the organization's users and their roles; owners and admins add and remove users. */
export function UsersPage() {
  const account = useQuery({
    queryKey: ["account"],
    queryFn: async () => (await api().api.GET("/api/v1/account")).data!,
  });
  const list = usePagedList(["users"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/users", { params: { query: { cursor } } });
    return data!;
  });
  const me = account.data?.user;
  const manages = me?.role === "owner" || me?.role === "admin";
  const self = (user: User) => user.id === me?.id;
  const columns: TableColumn<User>[] = [
    {
      header: "Email",
      cell: (user) => (
        <>
          {user.email} {self(user) && <span className="muted">(you)</span>}
        </>
      ),
    },
    { header: "Role", cell: (user) => user.role },
    { header: "Added", cell: (user) => dateTime(user.created_at) },
    ...(manages ? [{ header: "Remove", cell: (user: User) => !self(user) && <RemoveUser user={user} /> }] : []),
  ];
  return (
    <ListPage
      title="Settings"
      nav={<SettingsNav />}
      heading="Users"
      list={list}
      columns={columns}
      empty="No users."
      noun="users"
      one="user"
    >
      <h2>Roles</h2>
      <dl className="facts">
        <div>
          <dt>owner</dt>
          <dd>everything; made the organization</dd>
        </div>
        {ROLES.map(({ role, can }) => (
          <div key={role}>
            <dt>{role}</dt>
            <dd>{can}</dd>
          </div>
        ))}
      </dl>
      {manages && <AddUser />}
    </ListPage>
  );
}

function RemoveUser({ user }: { user: User }) {
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api().api.DELETE("/api/v1/users/{id}", { params: { path: { id: user.id } } }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["users"] }),
  });
  return (
    <>
      <button
        type="button"
        className="danger small"
        disabled={remove.isPending}
        aria-label={`Remove ${user.email}`}
        onClick={() => confirm(`Remove ${user.email}? Their sessions and keys stop working.`) && remove.mutate()}
      >
        Remove
      </button>
      {remove.isError && (
        <span role="alert" className="error-text">
          {remove.error.message}
        </span>
      )}
    </>
  );
}

function AddUser() {
  const queries = useQueryClient();
  const { errors, busy, run } = useSubmit(["email", "password", "role"]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    void run(async () => {
      await api().api.POST("/api/v1/users", {
        body: {
          email: String(values.get("email") ?? ""),
          password: String(values.get("password") ?? ""),
          role: values.get("role") as Role,
        },
      });
      form.reset();
      await queries.invalidateQueries({ queryKey: ["users"] });
    });
  };
  return (
    <>
      <h2>Add a user</h2>
      <form onSubmit={onSubmit} noValidate className="card form narrow" aria-label="Add a user">
        <FormAlert messages={errors.general} />
        <Field label="Email" error={errors.fields.email}>
          {(control) => <input {...control} name="email" type="email" autoComplete="off" />}
        </Field>
        <Field label="Password" error={errors.fields.password} hint="10 characters or more; tell them to keep it safe">
          {(control) => <input {...control} name="password" type="password" autoComplete="new-password" />}
        </Field>
        <Field label="Role" error={errors.fields.role}>
          {(control) => (
            <select {...control} name="role" defaultValue="member">
              {ROLES.map(({ role }) => (
                <option key={role}>{role}</option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Add user
          </button>
        </div>
      </form>
    </>
  );
}
