/** Go: rules engine, scoring, features, SGF, GTP engine and client, match runner, baseline players. */
export { EMPTY, BLACK, WHITE, BORDER, MIN_SIZE, MAX_SIZE, GoBoard, type Color, type BoardOptions } from './board.js';
export { GoGame, HISTORY_LENGTH, type GoGameOptions, type GoMove } from './game.js';
export { GTP_COLUMNS, actionToVertex, vertexToAction } from './coords.js';
export { ZOBRIST, combineHash } from './zobrist.js';
export { ownership, areaScore, territoryScore, estimateDead, type AreaScore, type TerritoryScore, type DeadStoneOptions } from './score.js';
export { playRandomMove, randomPlayout, playoutScore } from './playout.js';
export { ALPHAGO_ZERO_PLANES, ALPHAGO_PLANES, ALPHAGO_PLANE_LAYOUT, alphaGoZeroFeatures, alphaGoFeatures } from './features.js';
export { isLadderCaptured, attackerCaptures, LADDER_DEPTH } from './ladder.js';
export { SYMMETRY_COUNT, transformXY, inverseSymmetry, transformAction, transformPlanes, transformPolicy } from './symmetry.js';
export { SgfError, parseSgfMainLine, readSgf, writeSgf, sgfPointToAction, actionToSgfPoint, type SgfInfo, type SgfNode } from './sgf.js';
export { GtpEngine, formatScore, parseColor, preprocess, type GtpEngineOptions } from './gtp/engine.js';
export { wilsonInterval } from './stats.js';
export type { Player, MoveChoice } from './players/player.js';
export { RandomPlayer } from './players/random.js';
export { UctPlayer, type UctOptions } from './players/uct.js';
export { gameFromDiagram } from './diagram.js';
export { fixedHandicap } from './handicap.js';
