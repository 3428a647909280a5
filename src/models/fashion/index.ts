export { RECIPES, getRecipe, FASHION_MEAN, FASHION_STD, type Recipe, type RecipeName, type RecipeDefaults } from './recipes.js';
export {
  ClassifierTrainer, evaluate, predict, prepareImages, takeFirst,
  type TrainOptions, type LabeledImages, type StepInfo, type EpochSummary, type CurveRow, type EvalResult, type FitCallbacks,
} from './trainer.js';
