import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskRegistry } from '@selfsup/pretext';
import ts from 'typescript';
import type { TaskOptionDocs } from '../src/docs/describe-options.js';

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = join(here, '..', '..');

/** `packages/<package>/src/…/<id>/<id>-task.ts`: where the task `id` is declared, by the task packages' layout. */
function taskFile(id: string): string | undefined {
  const search = (dir: string): string | undefined => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules') continue;
      const file = join(dir, entry.name, `${id}-task.ts`);
      if (entry.name === id && existsSync(file)) return file;
      const found = search(join(dir, entry.name));
      if (found !== undefined) return found;
    }
    return undefined;
  };
  for (const name of readdirSync(packagesDir)) {
    const src = join(packagesDir, name, 'src');
    const found = existsSync(src) ? search(src) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The symbol an import stands for (the symbol itself when it is no import). */
function resolved(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): ts.Symbol | undefined {
  return symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** A type as the checker prints it, a union's members in a stable order (the checker's follows type creation). */
function typeText(type: ts.Type, checker: ts.TypeChecker): string {
  const print = (part: ts.Type) =>
    checker.typeToString(part, undefined, ts.TypeFormatFlags.NoTruncation).replace(/"/g, "'");
  if (!type.isUnion()) return print(type);
  const value = (part: ts.Type) => (part.isLiteral() ? part.value : print(part));
  return [...type.types]
    .sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    })
    .map(print)
    .join(' | ');
}

/**
 * A declared type as written (`2 | 4`, `number[]`), through type aliases to what they stand for
 * (`MissingFrameMode` → `'choose' | 'regress'`); types computed from values
 * (`(typeof DEFENCES)[number]`) as the checker resolves them.
 */
function declaredTypeText(node: ts.TypeNode, checker: ts.TypeChecker): string {
  if (ts.isTypeReferenceNode(node) && node.typeArguments === undefined) {
    const alias = resolved(checker.getSymbolAtLocation(node.typeName), checker)?.declarations?.find(
      ts.isTypeAliasDeclaration,
    );
    if (alias !== undefined) return declaredTypeText(alias.type, checker);
  }
  const written = (part: ts.TypeNode): boolean =>
    ts.isUnionTypeNode(part)
      ? part.types.every(written)
      : ts.isLiteralTypeNode(part) ||
        ts.isArrayTypeNode(part) ||
        part.kind === ts.SyntaxKind.NumberKeyword ||
        part.kind === ts.SyntaxKind.StringKeyword ||
        part.kind === ts.SyntaxKind.BooleanKeyword ||
        (ts.isTypeReferenceNode(part) &&
          resolved(checker.getSymbolAtLocation(part.typeName), checker)?.declarations?.some(
            ts.isTypeAliasDeclaration,
          ) !== true);
  if (written(node)) return node.getText().replace(/"/g, "'").replace(/\s+/g, ' ');
  return typeText(checker.getNonNullableType(checker.getTypeFromTypeNode(node)), checker);
}

function docOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
}

/**
 * The option docs of the tasks of a registry, read with TypeScript's checker from the tasks'
 * sources: the task `id`'s file `packages/<package>/src/…/<id>/<id>-task.ts`, its factory (the
 * registered function, by name), the factory's options parameter, each field's TSDoc (or, when it
 * has none, that of the type alias it is declared with) and declared type (`2 | 4`,
 * `'choose' | 'regress'`) — the declaration in the task's own file, so nothing is restated. A task
 * declared elsewhere (a plugin's) is read from the first of `sources` (e.g. the plugin files) that
 * exports its factory by name; one found nowhere is left out. For the generated task reference
 * (`generateTaskReference`): it needs the sources and TypeScript, so only the reference scripts
 * (and the build) and their tests run it.
 *
 * @param sources TypeScript files to look for the factories of tasks outside the task packages.
 * @example
 * readTaskOptionDocs(tasks).rotation.rotations; // { description: 'Rotations to predict: …', type: '2 | 4' }
 */
export function readTaskOptionDocs(tasks: TaskRegistry, sources: readonly string[] = []): TaskOptionDocs {
  const files = new Map<string, string>();
  const elsewhere: string[] = [];
  for (const id of tasks.ids()) {
    const file = taskFile(id);
    if (file !== undefined) files.set(id, file);
    else elsewhere.push(id);
  }
  const tsconfig = join(here, '..', 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  const program = ts.createProgram([...new Set([...files.values(), ...sources])], {
    ...parsed?.options,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  for (const id of elsewhere) {
    const factoryName = tasks.factory(id).name;
    const file = sources.find((source) => {
      const file = program.getSourceFile(source);
      const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
      return module !== undefined && checker.getExportsOfModule(module).some((s) => s.name === factoryName);
    });
    if (file !== undefined) files.set(id, file);
  }
  const docs: TaskOptionDocs = {};
  for (const [id, file] of files) {
    const source = program.getSourceFile(file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    const factoryName = tasks.factory(id).name;
    const factory =
      module === undefined ? undefined : checker.getExportsOfModule(module).find((s) => s.name === factoryName);
    if (source === undefined || factory === undefined) continue;
    const parameter = checker.getTypeOfSymbolAtLocation(factory, source).getCallSignatures()[0]?.getParameters()[0];
    const options: TaskOptionDocs[string] = {};
    if (parameter !== undefined) {
      const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(parameter, source));
      for (const option of type.getProperties()) {
        const declaration = option.declarations?.[0];
        const declared =
          declaration !== undefined && ts.isPropertySignature(declaration) && declaration.type !== undefined
            ? declaration.type
            : undefined;
        let description = docOf(option, checker);
        if (description === '' && declared !== undefined && ts.isTypeReferenceNode(declared)) {
          const alias = resolved(checker.getSymbolAtLocation(declared.typeName), checker);
          if (alias !== undefined) description = docOf(alias, checker);
        }
        options[option.name] = {
          description,
          type:
            declared === undefined
              ? typeText(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(option, source)), checker)
              : declaredTypeText(declared, checker),
        };
      }
    }
    docs[id] = options;
  }
  return docs;
}
