// Generators of plausible text and URLs, shared by the phases.
import type { Random } from "../domain/random.js";

const IMAGE_SIZES = [200, 300, 400, 500, 600, 800];

/** A picsum.photos image, as the platform's creator makes them. */
export function imageUrl(random: Random): string {
  return `https://picsum.photos/seed/${random.int(1, 1000)}/${random.pick(IMAGE_SIZES)}/${random.pick(IMAGE_SIZES)}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** An agent's name, e.g. "Digital Firewall Assistant". */
export function agentName(random: Random): string {
  const faker = random.faker;
  const kind = random.pick(["Agent", "Assistant", "Bot", "Workflow", "Pipeline", "Helper"]);
  return `${capitalize(faker.hacker.adjective())} ${capitalize(faker.hacker.noun())} ${kind}`;
}

/** A block's name, e.g. "ParseProtocolBlock". */
export function blockName(random: Random): string {
  const word = (text: string) => capitalize(text.replace(/\W+/g, ""));
  return `${word(random.faker.hacker.verb())}${word(random.faker.hacker.noun())}Block`;
}

export function slugify(random: Random, text: string): string {
  const slug = random.faker.helpers.slugify(text).toLowerCase();
  const dashed = slug.replace(/[^a-z0-9-]+/g, "").replace(/-+/g, "-");
  return dashed.replace(/^-|-$/g, "") || "agent";
}
