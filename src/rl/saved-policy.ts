/**
 * A trained policy as one safetensors file (bytes in, bytes out; browser-safe): the acting
 * network's state dict, and in the metadata what is needed to rebuild and run it — the
 * environment id, the algorithm, whether the network gives logits (act by arg max pi) or Q
 * values (act by arg max Q), its sizes and the observation scaling. `shinsou play` reads it.
 */
import type { Module } from '../nn/module.js';
import { encodeSafetensors, decodeSafetensors } from '../io/safetensors.js';
import { describe } from '../tensor/validate.js';
import { mlp, type Activation } from './policy.js';
import { greedyAct } from './agent.js';
import { Features } from './runner.js';
import type { Env } from './env.js';

export const POLICY_FORMAT = 'shinsou-rl-policy';

export interface PolicyInfo {
  /** The environment id (makeEnv), e.g. 'CartPole-v1'. */
  env: string;
  /** The algorithm that trained it, e.g. 'ppo'. */
  algo: string;
  kind: 'logits' | 'q';
  obsDim: number;
  actions: number;
  hidden: number[];
  activation: Activation;
  scaleObs: boolean;
}
const INFO_KEYS = ['env', 'algo', 'kind', 'obsDim', 'actions', 'hidden', 'activation', 'scaleObs'];

/** The policy network and its description as safetensors bytes. */
export function encodePolicy(net: Module<any, any>, info: PolicyInfo, ...extra: never[]): Uint8Array {
  if (extra.length > 0) throw new Error(`encodePolicy: expected (net, info), got ${extra.length} extra argument(s)`);
  checkInfo('encodePolicy', info);
  return encodeSafetensors(net.stateDict(), { format: POLICY_FORMAT, policy: JSON.stringify(info) });
}

function checkInfo(who: string, info: unknown): asserts info is PolicyInfo {
  if (info === null || typeof info !== 'object') throw new Error(`${who}: info must be an object, got ${describe(info)}`);
  for (const k of Object.keys(info))
    if (!INFO_KEYS.includes(k)) throw new Error(`${who}: unknown info key '${k}' (known: ${INFO_KEYS.join(', ')})`);
  const i = info as PolicyInfo;
  if (typeof i.env !== 'string' || typeof i.algo !== 'string' || (i.kind !== 'logits' && i.kind !== 'q'))
    throw new Error(`${who}: info needs env and algo strings and kind 'logits' or 'q', got ${describe(info)}`);
}

/** A policy read back: its description, the network, and the greedy action of a [rows, d] batch. */
export interface LoadedPolicy {
  info: PolicyInfo;
  net: Module<any, any>;
  act(obs: Float32Array, rows: number): Int32Array;
  /** One observation of `env` to its greedy action (what `shinsou play` steps with). */
  actOn(env: Env<unknown, number>): (observation: unknown) => number;
}

/** Rebuilds the network of a policy file and loads its weights. */
export function decodePolicy(bytes: Uint8Array, source = '<buffer>', ...extra: never[]): LoadedPolicy {
  if (extra.length > 0) throw new Error(`decodePolicy: expected (bytes, source?), got ${extra.length} extra argument(s)`);
  const file = decodeSafetensors(bytes, source);
  if (file.metadata['format'] !== POLICY_FORMAT || !file.metadata['policy'])
    throw new Error(
      `decodePolicy: ${source} is not a policy file (format '${file.metadata['format'] ?? ''}', expected '${POLICY_FORMAT}'); ` +
        'pass the policy.safetensors of an rl-* run',
    );
  const info = JSON.parse(file.metadata['policy']) as PolicyInfo;
  checkInfo('decodePolicy', info);
  const net = mlp(info.obsDim, info.hidden, info.actions, info.activation);
  net.loadStateDict(file);
  const act = greedyAct(net);
  const actOn = (env: Env<unknown, number>) => {
    if (env.id !== info.env) throw new Error(`decodePolicy: the policy in ${source} was trained on '${info.env}', not '${env.id}'`);
    const f = new Features(env, info.scaleObs);
    const x = new Float32Array(f.size);
    return (observation: unknown): number => {
      f.write(observation, x, 0);
      return act(x, 1)[0]!;
    };
  };
  return { info, net, act, actOn };
}
