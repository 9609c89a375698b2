/**
 * The parts of botbuilder the assistant uses, imported from their own modules: the package's index also loads the
 * skills, channel-service, inspection and transcript-file modules (82 more modules, ≈ 4 MB of heap,
 * docs/benchmarks.md) that the assistant never calls. Everything but the adapter and the Teams handler lives in
 * botbuilder-core, which botbuilder re-exports: the classes are the same either way. Types come from the index as
 * usual (erased at build).
 */
export { CloudAdapter } from 'botbuilder/lib/cloudAdapter.js';
export { TeamsActivityHandler } from 'botbuilder/lib/teamsActivityHandler.js';
export {
  ActivityTypes,
  CardFactory,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  MessageFactory,
  StatusCodes,
  TurnContext,
} from 'botbuilder-core';
export type * from 'botbuilder';
