// Users, their profiles and (on the tenancy platform) their personal organisations, a batch at a time.
import type { Prisma } from "../generated/prisma/client.js";
import { PROFILES, USERS, type PersonalOrganization } from "../schema/storeColumns.js";
import { writePersonalOrganizations } from "../domain/organizations.js";
import type { Timed } from "../shared/output.js";
import { MINUTE, Purpose, UniqueValues, newId, type CreateContext } from "./context.js";
import { imageUrl } from "./content.js";

export interface CreatedPeople {
  users: number;
  profiles: number;
  organizations: number;
}

/**
 * Users `from` .. `to` - 1, each with a unique email, a profile made within minutes of signing up
 * (unique username) and, where the target has organisations, a personal organisation as the
 * platform's start-up makes one: named after the profile, its slug from the username (numbered
 * where taken), with the owner's membership, default team and seat.
 */
export async function createPeople(
  ctx: CreateContext,
  orgSlugs: UniqueValues,
  from: number,
  to: number,
  timed: Timed,
): Promise<CreatedPeople> {
  const profiles: Prisma.ProfileCreateManyInput[] = [];
  const organizations: PersonalOrganization[] = [];
  const users = await timed("users", () =>
    ctx.shape.write(ctx.tx, USERS, planPeople(ctx, orgSlugs, from, to, profiles, organizations)),
  );
  await timed("profiles", () => ctx.shape.write(ctx.tx, PROFILES, profiles));
  await timed("organizations", () => writePersonalOrganizations(ctx.tx, ctx.shape, organizations));
  return { users, profiles: profiles.length, organizations: organizations.length };
}

/** The users, made as COPY takes them; their profiles and organisations go to the arrays given. */
function* planPeople(
  ctx: CreateContext,
  orgSlugs: UniqueValues,
  from: number,
  to: number,
  profiles: Prisma.ProfileCreateManyInput[],
  organizations: PersonalOrganization[],
): Generator<Prisma.UserCreateManyInput> {
  const { random } = ctx;
  const faker = random.faker;
  for (let index = from; index < to; index++) {
    const key = ctx.user(index);
    random.reseed(Purpose.person, index);
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const name = `${firstName} ${lastName}`;
    const signedUp = new Date(key.createdAt);
    yield {
      id: key.id,
      email: ctx.taken.emails.claim(faker.internet.email({ firstName, lastName }).toLowerCase(), numberedEmail),
      name,
      createdAt: signedUp,
      updatedAt: signedUp,
      metadata: {},
      integrations: "",
    };
    const createdAt = new Date(key.createdAt + random.int(0, 10 * MINUTE));
    const username = ctx.taken.usernames.claim(faker.internet.username({ firstName, lastName }).toLowerCase());
    profiles.push({
      id: newId(ctx),
      userId: key.id,
      name,
      username,
      description: faker.lorem.paragraph(),
      links: Array.from({ length: 3 }, () => faker.internet.url()),
      avatarUrl: imageUrl(random),
      createdAt,
      updatedAt: createdAt,
    });
    if (!ctx.shape.hasOrganizations) continue;
    organizations.push({
      userId: key.id,
      ...key.booking,
      memberId: newId(ctx),
      teamMemberId: newId(ctx),
      seatId: newId(ctx),
      name,
      slug: orgSlugs.claim(username.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "user", (s, n) => `${s}-${n}`),
      createdAt,
    });
  }
}

function numberedEmail(email: string, n: number): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? `${email}${n}` : `${email.slice(0, at)}${n}${email.slice(at)}`;
}
