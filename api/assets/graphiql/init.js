// Starts GraphiQL against this server's /graphql. The editors' query and variables are
// kept in the address (?query=…&variables=…) so a page can be bookmarked or shared;
// headers (with the access token) are never put there.
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  function remember(key) {
    return function (value) {
      params.set(key, value);
      window.history.replaceState(null, '', '?' + params.toString());
    };
  }
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      query: params.get('query') || undefined,
      variables: params.get('variables') || undefined,
      headers: params.get('headers') || undefined,
      onEditQuery: remember('query'),
      onEditVariables: remember('variables'),
    })
  );
})();
