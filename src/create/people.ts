// Users and their profiles.
import type { Prisma } from "../generated/prisma/client.js";
import { PROFILE_COLUMNS, USER_COLUMNS, type PersonalOrganization } from "../db/storeColumns.js";
import { takenOrganizationSlugs, writePersonalOrganizations } from "../store/organizations.js";
import { DAY, MINUTE, UniqueValues, insertRows, type CreateContext } from "./context.js";
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

export interface CreatedProfile {
  userId: string;
  name: string;
  username: string;
  createdAt: Date;
}

/** One profile per user, made within minutes of signing up, with a unique username. */
export async function createProfiles(ctx: CreateContext, users: CreatedUser[]): Promise<CreatedProfile[]> {
  const { random } = ctx;
  const faker = random.faker;
  const rows = users.map((user): Prisma.ProfileCreateManyInput & CreatedProfile => {
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
  await insertRows(ctx, "Profile", PROFILE_COLUMNS, rows);
  return rows;
}

/** On the tenancy platform, each user's personal organisation as its start-up makes one: named after the
 *  profile, its slug from the username (numbered where taken), with the owner's membership, default team and seat. */
export async function createPersonalOrganizations(ctx: CreateContext, profiles: CreatedProfile[]): Promise<number> {
  if (!ctx.shape.hasOrganizations) return 0;
  const slugs = new UniqueValues(await takenOrganizationSlugs(ctx.tx, ctx.shape));
  const organizations = profiles.map((p): PersonalOrganization => ({
    userId: p.userId,
    organizationId: ctx.newId(),
    teamId: ctx.newId(),
    memberId: ctx.newId(),
    teamMemberId: ctx.newId(),
    seatId: ctx.newId(),
    name: p.name,
    slug: slugs.claim(p.username.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "user", (s, n) => `${s}-${n}`),
    createdAt: p.createdAt,
  }));
  for (const o of organizations) ctx.organizations.set(o.userId, { organizationId: o.organizationId, teamId: o.teamId });
  return writePersonalOrganizations(ctx.tx, ctx.shape, organizations);
}

function numberedEmail(email: string, n: number): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? `${email}${n}` : `${email.slice(0, at)}${n}${email.slice(at)}`;
}
