/** An owner signed up on a fresh API and an API key of theirs, as any client would get them. */
export async function signUpWithKey(url: string): Promise<{ key: string; organizationId: string }> {
  const post = async (route: string, body: unknown, token?: string) => {
    const res = await fetch(`${url}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { token: string; raw_key: string; organization: { id: string } };
  };
  const owner = await post("/api/v1/auth/signup", {
    email: "bench@example.com",
    password: "bench password 123",
    organization_name: "Bench",
  });
  const { raw_key: key } = await post("/api/v1/keys", { name: "bench" }, owner.token);
  return { key, organizationId: owner.organization.id };
}
