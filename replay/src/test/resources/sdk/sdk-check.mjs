// Runs the official Letta SDK against a replay server and prints what it parsed, as one JSON object.
// Usage: node sdk-check.mjs <baseURL> <apiKey> <runId> <startingAfter>
import Letta from '@letta-ai/letta-client';

const [baseURL, apiKey, runId, startingAfter] = process.argv.slice(2);
const client = new Letta({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });

const chunks = [];
const stream = await client.runs.messages.stream(runId, { starting_after: Number(startingAfter) });
for await (const chunk of stream) {
  chunks.push(chunk);
}
const listed = [];
for await (const run of client.runs.list({ limit: 2 })) {
  listed.push(run.id);
}
const retrieved = await client.runs.retrieve(runId);
process.stdout.write(JSON.stringify({ chunks, listed, retrieved }));
