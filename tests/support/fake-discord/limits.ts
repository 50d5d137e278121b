/**
 * Discord's validation rules for what a bot sends, as documented (developer docs: "Message
 * Resource", "Embed Limits", "Application Commands"). Each check returns the 50035 error tree
 * Discord would answer with, so a test fails exactly where production would.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
} from 'discord-api-types/v10';
import { FormErrors, length } from './form-errors';
import type { ErrorPath } from './form-errors';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  nonce: 25,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  options: 25,
  commandTotal: 8000,
  chatInputCommands: 100,
  actionRows: 5,
  rowComponents: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
} as const;

type Json = Record<string, unknown>;

const record = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textLength = (value: unknown): number => (typeof value === 'string' ? length(value) : 0);

/** No content, embeds, components, stickers, poll or files: Discord answers 50006. */
export function isEmptyMessage(body: unknown, fileCount: number): boolean {
  const b = record(body);
  const has = (key: string) => (Array.isArray(b[key]) ? list(b[key]).length > 0 : Boolean(b[key]));
  return (
    fileCount === 0 &&
    !['content', 'embeds', 'components', 'sticker_ids', 'poll', 'attachments'].some(has)
  );
}

/** Content, nonce and embed limits of a message body (create, edit, webhook or interaction reply). */
export function messageErrors(
  body: unknown,
  errors = new FormErrors(),
  base: ErrorPath = [],
): FormErrors {
  const b = record(body);
  errors.maxLength([...base, 'content'], b.content, LIMITS.content);
  errors.maxLength([...base, 'nonce'], b.nonce, LIMITS.nonce);
  const embeds = list(b.embeds);
  errors.maxItems([...base, 'embeds'], b.embeds, LIMITS.embeds);
  let total = 0;
  embeds.forEach((raw, i) => {
    total += embedErrors(record(raw), errors, [...base, 'embeds', i]);
  });
  componentErrors(b.components, errors, [...base, 'components']);
  if (total > LIMITS.embedTotal) {
    errors.add(
      [...base, 'embeds'],
      'MAX_EMBED_SIZE_EXCEEDED',
      `Embed size exceeds maximum size of ${LIMITS.embedTotal}`,
    );
  }
  return errors;
}

/** Action rows of buttons and select menus ("Message Components": custom ids, labels, options). */
function componentErrors(value: unknown, errors: FormErrors, path: ErrorPath): void {
  errors.maxItems(path, value, LIMITS.actionRows);
  list(value).forEach((row, r) => {
    const components = record(row).components;
    errors.maxItems([...path, r, 'components'], components, LIMITS.rowComponents);
    list(components).forEach((raw, c) => {
      const at = [...path, r, 'components', c];
      const component = record(raw);
      errors.maxLength([...at, 'custom_id'], component.custom_id, LIMITS.customId);
      errors.maxLength([...at, 'label'], component.label, LIMITS.buttonLabel);
      if (component.type !== ComponentType.StringSelect) return;
      errors.maxLength([...at, 'placeholder'], component.placeholder, LIMITS.selectPlaceholder);
      const options = list(component.options);
      if (options.length === 0)
        errors.add([...at, 'options'], 'BASE_TYPE_REQUIRED', 'This field is required');
      errors.maxItems([...at, 'options'], component.options, LIMITS.selectOptions);
      options.forEach((option, o) => {
        for (const key of ['label', 'value', 'description'])
          errors.maxLength(
            [...at, 'options', o, key],
            record(option)[key],
            LIMITS.selectOptionText,
          );
      });
    });
  });
}

/** Checks one embed and returns how many characters it adds to the 6000 total. */
function embedErrors(embed: Json, errors: FormErrors, path: ErrorPath): number {
  const footer = record(embed.footer);
  const author = record(embed.author);
  errors.maxLength([...path, 'title'], embed.title, LIMITS.embedTitle);
  errors.maxLength([...path, 'description'], embed.description, LIMITS.embedDescription);
  errors.maxLength([...path, 'footer', 'text'], footer.text, LIMITS.footerText);
  errors.maxLength([...path, 'author', 'name'], author.name, LIMITS.authorName);
  errors.maxItems([...path, 'fields'], embed.fields, LIMITS.embedFields);
  let total =
    textLength(embed.title) +
    textLength(embed.description) +
    textLength(footer.text) +
    textLength(author.name);
  list(embed.fields).forEach((raw, i) => {
    const field = record(raw);
    errors.lengthBetween([...path, 'fields', i, 'name'], field.name, 1, LIMITS.fieldName);
    errors.lengthBetween([...path, 'fields', i, 'value'], field.value, 1, LIMITS.fieldValue);
    total += textLength(field.name) + textLength(field.value);
  });
  return total;
}

/** Choices a bot returns to an autocomplete interaction (callback type 8). */
export function autocompleteErrors(data: unknown): FormErrors {
  const errors = new FormErrors();
  choiceErrors(errors, ['data'], record(data).choices);
  return errors;
}

/** Returns the characters the choices add to a command's 8000 total. */
function choiceErrors(errors: FormErrors, path: ErrorPath, choices: unknown): number {
  errors.maxItems([...path, 'choices'], choices, LIMITS.choices);
  let size = 0;
  list(choices).forEach((raw, i) => {
    const choice = record(raw);
    errors.lengthBetween([...path, 'choices', i, 'name'], choice.name, 1, LIMITS.choiceName);
    errors.maxLength([...path, 'choices', i, 'value'], choice.value, LIMITS.choiceValue);
    size += textLength(choice.name) + String(choice.value ?? '').length;
  });
  return size;
}

const CHAT_INPUT_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function chatInputName(errors: FormErrors, path: ErrorPath, name: unknown): void {
  // Discord also refuses names with an uppercase letter that has a lowercase variant.
  if (typeof name !== 'string' || !CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
    errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

const SUBCOMMAND_TYPES: unknown[] = [
  ApplicationCommandOptionType.Subcommand,
  ApplicationCommandOptionType.SubcommandGroup,
];

/** Returns the characters the options add to the command's 8000 total. */
function optionErrors(errors: FormErrors, path: ErrorPath, options: unknown): number {
  errors.maxItems([...path, 'options'], options, LIMITS.options);
  let size = 0;
  let sawOptional = false;
  list(options).forEach((raw, i) => {
    const option = record(raw);
    const at = [...path, 'options', i];
    chatInputName(errors, at, option.name);
    errors.lengthBetween([...at, 'description'], option.description, 1, LIMITS.commandDescription);
    if (SUBCOMMAND_TYPES.includes(option.type)) {
      size += optionErrors(errors, at, option.options);
    } else if (option.required === true && sawOptional) {
      errors.add(
        [...at, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    }
    sawOptional ||= option.required !== true && !SUBCOMMAND_TYPES.includes(option.type);
    size +=
      textLength(option.name) +
      textLength(option.description) +
      choiceErrors(errors, at, option.choices);
  });
  return size;
}

function commandErrorsAt(errors: FormErrors, path: ErrorPath, raw: unknown): void {
  const command = record(raw);
  const type = command.type ?? ApplicationCommandType.ChatInput;
  if (type !== ApplicationCommandType.ChatInput) {
    errors.lengthBetween([...path, 'name'], command.name, 1, LIMITS.commandName);
    return;
  }
  chatInputName(errors, path, command.name);
  errors.lengthBetween([...path, 'description'], command.description, 1, LIMITS.commandDescription);
  const size =
    textLength(command.name) +
    textLength(command.description) +
    optionErrors(errors, path, command.options);
  if (size > LIMITS.commandTotal) {
    errors.add(
      path,
      'APPLICATION_COMMAND_TOO_LARGE',
      `Command exceeds maximum size (${LIMITS.commandTotal})`,
    );
  }
}

/** One command, as sent to POST /applications/:app/commands. */
export function commandErrors(command: unknown): FormErrors {
  const errors = new FormErrors();
  commandErrorsAt(errors, [], command);
  return errors;
}

/** A bulk overwrite (PUT): every command, plus unique names per type and the 100-command cap. */
export function bulkCommandErrors(commands: unknown): FormErrors {
  const errors = new FormErrors();
  const all = list(commands);
  all.forEach((command, i) => {
    commandErrorsAt(errors, [i], command);
  });
  const keys = all.map(
    (raw) =>
      `${String(record(raw).type ?? ApplicationCommandType.ChatInput)}:${String(record(raw).name)}`,
  );
  if (new Set(keys).size !== keys.length) {
    errors.add(
      [],
      'APPLICATION_COMMANDS_DUPLICATE_NAME',
      'Application command names must be unique',
    );
  }
  if (
    keys.filter((k) => k.startsWith(`${ApplicationCommandType.ChatInput}:`)).length >
    LIMITS.chatInputCommands
  ) {
    errors.add(
      [],
      'BASE_TYPE_MAX_LENGTH',
      `Must be ${LIMITS.chatInputCommands} or fewer in length.`,
    );
  }
  return errors;
}
