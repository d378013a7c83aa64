/* sphinx-llmarch: the site search's scorer (html_search_scorer). Sphinx's own weights, and
 * one rule: a concept's section (its anchor is "llmarch-concept-<key>") comes before every
 * other hit, so that "MLA" or "SWA" opens with the section that explains it. */
var Scorer = {
  score: function (result) {
    var anchor = result[2], score = result[4];
    return anchor.indexOf("#llmarch-concept-") === 0 ? score + 100 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {0: 15, 1: 5, 2: -5},
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2
};
