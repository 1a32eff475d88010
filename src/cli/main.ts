import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { MappingError } from '../import/mapping.ts';
import { PresetError } from '../import/presets/index.ts';
import { DataDirLockedError } from '../storage/lock.ts';
import { WorkspaceError } from '../storage/workspaces.ts';
import { migrateCommand, workspacesCommand } from './commands/admin.ts';
import { demoCommand, examplesCommand, rollupsCommand } from './commands/data.ts';
import { fieldsCommand, importCommand, presetsCommand } from './commands/import.ts';
import { hooksCommand } from './commands/hooks.ts';
import { reportCommand } from './commands/report.ts';
import { explainCommand } from './commands/explain.ts';
import { driversCommand } from './commands/drivers.ts';
import { serveCommand } from './commands/serve.ts';
import { surveyCommand } from './commands/survey.ts';
import { userCommand } from './commands/user.ts';
import { casesCommand } from './commands/cases.ts';
import { textCommand } from './commands/text.ts';
import { ReportError } from '../reports/metric-report.ts';
import { DemoOptionsError } from '../demo/generator.ts';
import { SurveyDefinitionError } from '../listening/survey.ts';
import { UserError, VERSION } from './context.ts';

const program = new Command('sada')
  .description(
    'Sada: customer-experience analytics. Data lives in the embedded database in SADA_DATA_DIR (default ./.sada), or in PostgreSQL when SADA_DATABASE_URL is set.',
  )
  .version(VERSION)
  .showHelpAfterError()
  // Each command's options are its own: `sada report monthly --format pdf` is not report's --format.
  .enablePositionalOptions()
  .exitOverride();

for (const command of [serveCommand, importCommand, reportCommand, explainCommand, driversCommand, surveyCommand, demoCommand, examplesCommand, fieldsCommand, presetsCommand, hooksCommand, userCommand, casesCommand, textCommand, rollupsCommand, migrateCommand, workspacesCommand]) {
  program.addCommand(command.exitOverride());
}

const PLAIN_ERRORS = [UserError, ConfigError, MappingError, PresetError, DataDirLockedError, WorkspaceError, ReportError, DemoOptionsError, SurveyDefinitionError];

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (PLAIN_ERRORS.some((type) => error instanceof type)) {
    console.error(`sada: ${(error as Error).message}`);
    process.exitCode = 1;
  } else if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (error as NodeJS.ErrnoException).path) {
    console.error(`sada: no such file: ${(error as NodeJS.ErrnoException).path}`);
    process.exitCode = 1;
  } else if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
    console.error(`sada: cannot reach the database at SADA_DATABASE_URL (${(error as Error).message}). Is PostgreSQL running?`);
    process.exitCode = 1;
  } else {
    console.error(error);
    process.exitCode = 2;
  }
}
