/**
 * Discord's rules for application commands (developer docs, "Application Commands"), checked
 * before deploying so a bad definition fails here with a readable reason rather than as a 50035
 * from Discord. Plus one rule of ours: every free-text string option declares its maximum length.
 */
import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

export const COMMAND_RULES = {
  name: 32,
  description: 100,
  options: 25,
  choices: 25,
  choiceName: 100,
  total: 8000,
  commands: 100,
  stringLength: 6000,
} as const;

const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type Option = NonNullable<RESTPostAPIChatInputApplicationCommandsJSONBody['options']>[number];

const nested = (o: Option) =>
  o.type === ApplicationCommandOptionType.Subcommand ||
  o.type === ApplicationCommandOptionType.SubcommandGroup;

function nameProblems(at: string, name: string): string[] {
  return NAME.test(name) && name === name.toLowerCase()
    ? []
    : [`${at}: name "${name}" must be 1-32 lowercase letters, digits, - or _`];
}

function descriptionProblems(at: string, description: string | undefined): string[] {
  const n = description?.length ?? 0;
  return n >= 1 && n <= COMMAND_RULES.description
    ? []
    : [`${at}: description must be 1-${COMMAND_RULES.description} characters (is ${n})`];
}

/** Problems of a list of options, and the characters they add to the command's total. */
function optionProblems(
  at: string,
  options: Option[] | undefined,
): { problems: string[]; size: number } {
  const problems: string[] = [];
  let size = 0;
  const list = options ?? [];
  if (list.length > COMMAND_RULES.options)
    problems.push(`${at}: ${list.length} options (max ${COMMAND_RULES.options})`);
  let sawOptional = false;
  for (const o of list) {
    const here = `${at} ${o.name}`;
    problems.push(...nameProblems(here, o.name), ...descriptionProblems(here, o.description));
    size += o.name.length + o.description.length;
    if (nested(o)) {
      const inner = optionProblems(
        here,
        'options' in o ? (o.options as Option[] | undefined) : undefined,
      );
      problems.push(...inner.problems);
      size += inner.size;
      continue;
    }
    if (o.required && sawOptional)
      problems.push(`${here}: required options must come before optional ones`);
    sawOptional ||= !o.required;
    const choices = 'choices' in o && Array.isArray(o.choices) ? o.choices : [];
    if (choices.length > COMMAND_RULES.choices)
      problems.push(`${here}: ${choices.length} choices (max ${COMMAND_RULES.choices})`);
    for (const c of choices) {
      if (c.name.length < 1 || c.name.length > COMMAND_RULES.choiceName)
        problems.push(`${here}: choice "${c.name}" name must be 1-100 characters`);
      size += c.name.length + String(c.value).length;
    }
    // Choices bound a string already; any other string option is free text and needs a cap.
    if (o.type === ApplicationCommandOptionType.String && choices.length === 0) {
      const max = o.max_length;
      if (max === undefined) problems.push(`${here}: string options must set a maximum length`);
      else if (max < 1 || max > COMMAND_RULES.stringLength)
        problems.push(`${here}: max_length must be 1-${COMMAND_RULES.stringLength}`);
    }
  }
  return { problems, size };
}

/** Every rule one command breaks; empty when Discord (and we) will take it. */
export function commandProblems(
  command: RESTPostAPIChatInputApplicationCommandsJSONBody,
): string[] {
  const at = `/${command.name}`;
  const options = optionProblems(at, command.options);
  const problems = [
    ...nameProblems(at, command.name),
    ...descriptionProblems(at, command.description),
    ...options.problems,
  ];
  const size = command.name.length + (command.description?.length ?? 0) + options.size;
  if (size > COMMAND_RULES.total)
    problems.push(`${at}: ${size} characters in total (max ${COMMAND_RULES.total})`);
  return problems;
}

/** The rules of a bulk overwrite: each command's, unique names, at most 100. */
export function commandSetProblems(
  commands: RESTPostAPIChatInputApplicationCommandsJSONBody[],
): string[] {
  const problems = commands.flatMap(commandProblems);
  const names = commands.map((c) => c.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i)))
    problems.push(`/${name}: defined twice`);
  if (commands.length > COMMAND_RULES.commands)
    problems.push(`${commands.length} commands (max ${COMMAND_RULES.commands})`);
  return problems;
}
