// Users, their profiles and (on the tenancy platform) their personal organisations, a batch at a time.
import type { Prisma } from "../generated/prisma/client.js";
import { PROFILES, USERS, type OrganizationRows } from "../schema/storeColumns.js";
import { writePersonalOrganizations } from "../domain/organizations.js";
import type { Timed } from "../shared/output.js";
import { MINUTE, Purpose, newId, type CreateContext, type UserKey } from "./context.js";
import { imageUrl } from "./content.js";

/** The batch's users (unique emails), each with a profile made within minutes of signing up (unique username)
 *  and, where the target has organisations, a personal organisation as the platform's start-up makes one: named
 *  after the profile, slug from the username (numbered where taken), the owner's membership, default team, seat. */
export async function createPeople(ctx: CreateContext, users: UserKey[], timed: Timed): Promise<void> {
  const profiles: Prisma.ProfileCreateManyInput[] = [];
  const orgRows: OrganizationRows = { orgs: [], members: [], teams: [], teamMembers: [], orgProfiles: [], seats: [] };
  const { counts, shape, tx, random } = ctx;
  const faker = random.faker;
  counts.users += await timed("users", () => shape.write(tx, USERS, userRows()));
  counts.profiles += await timed("profiles", () => shape.write(tx, PROFILES, profiles));
  await timed("organizations", () => writePersonalOrganizations(tx, shape, orgRows));

  /** The users, made as COPY takes them; their profiles and organisations go to the arrays above. */
  function* userRows(): Generator<Prisma.UserCreateManyInput> {
    for (const key of users) {
      random.reseed(Purpose.person, key.index);
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
      const slug = username.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "user";
      const { organizationId: orgId, teamId } = key.booking;
      const times = { createdAt, updatedAt: createdAt };
      const owner = { userId: key.id, ...times };
      const orgSlug = ctx.taken.orgSlugs.claim(slug, (s, n) => `${s}-${n}`);
      orgRows.orgs.push({ id: orgId, name, slug: orgSlug, isPersonal: true, bootstrapUserId: key.id, ...times });
      orgRows.members.push({ id: newId(ctx), orgId, isOwner: true, isAdmin: true, ...owner });
      orgRows.teams.push({ id: teamId, orgId, name: "Default", isDefault: true, createdByUserId: key.id, ...times });
      orgRows.teamMembers.push({ id: newId(ctx), teamId, isAdmin: true, ...owner });
      orgRows.orgProfiles.push({ organizationId: orgId, username: orgSlug, displayName: name, ...times });
      orgRows.seats.push({ id: newId(ctx), organizationId: orgId, ...owner });
    }
  }
}

function numberedEmail(email: string, n: number): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? `${email}${n}` : `${email.slice(0, at)}${n}${email.slice(at)}`;
}
