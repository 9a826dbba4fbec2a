// Users and their profiles.
import type { Prisma } from "../generated/prisma/client.js";
import { PROFILE_COLUMNS, USER_COLUMNS } from "../db/storeColumns.js";
import { DAY, MINUTE, insertRows, type CreateContext } from "./context.js";
import { imageUrl } from "./content.js";

export interface CreatedUser {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  /** ms since the epoch */
  createdAt: number;
}

/** Users signed up 60 to 365 days before `now`, each with a unique email. */
export async function createUsers(ctx: CreateContext): Promise<CreatedUser[]> {
  const { random, now } = ctx;
  const faker = random.faker;
  const users: CreatedUser[] = [];
  const rows: Prisma.UserCreateManyInput[] = [];
  for (let i = 0; i < ctx.options.users; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const email = ctx.taken.emails.claim(faker.internet.email({ firstName, lastName }).toLowerCase(), numberedEmail);
    const createdAt = now - random.int(60 * DAY, 365 * DAY);
    const user: CreatedUser = { id: ctx.newId(), name: `${firstName} ${lastName}`, firstName, lastName, createdAt };
    users.push(user);
    rows.push({
      id: user.id,
      email,
      name: user.name,
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt),
      metadata: {},
      integrations: "",
    });
  }
  await insertRows(ctx, "User", USER_COLUMNS, rows);
  return users;
}

/** One profile per user, made within minutes of signing up, with a unique username. */
export async function createProfiles(ctx: CreateContext, users: CreatedUser[]): Promise<number> {
  const { random } = ctx;
  const faker = random.faker;
  const rows: Prisma.ProfileCreateManyInput[] = users.map((user) => {
    const createdAt = new Date(user.createdAt + random.int(0, 10 * MINUTE));
    return {
      id: ctx.newId(),
      userId: user.id,
      name: user.name,
      username: ctx.taken.usernames.claim(
        faker.internet.username({ firstName: user.firstName, lastName: user.lastName }).toLowerCase(),
      ),
      description: faker.lorem.paragraph(),
      links: Array.from({ length: 3 }, () => faker.internet.url()),
      avatarUrl: imageUrl(random),
      createdAt,
      updatedAt: createdAt,
    };
  });
  return insertRows(ctx, "Profile", PROFILE_COLUMNS, rows);
}

function numberedEmail(email: string, n: number): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? `${email}${n}` : `${email.slice(0, at)}${n}${email.slice(at)}`;
}
