import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Loads ontologies the way Protégé does (the OWL API, imports resolved through an OASIS XML
 * catalog) and reports what Protégé would complain about, one tab-separated line per finding.
 *
 * <pre>
 *   check CATALOG FILE...  for each FILE: "violation", "unparsed" and "fetch" lines, then
 *                          "summary FILE violations unparsed fetches axioms logical-axioms individuals"
 *                          (the last three over the imports closure)
 *   save CATALOG IN OUT    re-save IN as Turtle with its own prefixes, as Protégé's File > Save does
 * </pre>
 *
 * Profile: OWL 2 DL (https://www.w3.org/TR/owl2-syntax/ and the global restrictions of §11).
 * Unparsed triples are those the RDF-to-OWL mapping (https://www.w3.org/TR/owl2-mapping-to-rdf/)
 * could not turn into axioms. An import IRI missing from the catalog is never fetched: it is
 * reported as "fetch" and its load fails.
 */
public final class OwlDlCheck {

    /** Maps import IRIs to the catalog's local files; anything else is recorded and refused. */
    static final class CatalogMapper implements OWLOntologyIRIMapper {
        final Map<IRI, IRI> local = new HashMap<>();
        final List<IRI> refused = new ArrayList<>();

        CatalogMapper(File catalog) throws Exception {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            NodeList uris = f.newDocumentBuilder().parse(catalog).getElementsByTagNameNS("*", "uri");
            for (int i = 0; i < uris.getLength(); i++) {
                Element e = (Element) uris.item(i);
                File target = new File(catalog.getParentFile(), e.getAttribute("uri"));
                local.put(IRI.create(e.getAttribute("name")), IRI.create(target.getCanonicalFile()));
            }
        }

        @Override
        public IRI getDocumentIRI(IRI iri) {
            IRI found = local.get(iri);
            if (found != null) {
                return found;
            }
            refused.add(iri);
            return IRI.create(new File("/nonexistent/refused-import.owl"));
        }
    }

    private static OWLOntologyManager manager(CatalogMapper mapper) {
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        m.getIRIMappers().clear();
        m.getIRIMappers().add(mapper);
        return m;
    }

    private static void check(CatalogMapper mapper, String path) {
        System.out.println("file\t" + path);
        mapper.refused.clear();
        int violations = 0;
        long unparsed = 0;
        String sizes = "\t-\t-\t-";
        try {
            OWLOntologyManager m = manager(mapper);
            OWLOntology root = m.loadOntologyFromOntologyDocument(new File(path));
            sizes = "\t" + root.getAxiomCount(Imports.INCLUDED) + "\t" + root.getLogicalAxiomCount(Imports.INCLUDED)
                    + "\t" + root.getIndividualsInSignature(Imports.INCLUDED).size();
            for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(root).getViolations()) {
                System.out.println("violation\t" + v.toString().replace('\n', ' '));
                violations++;
            }
            for (OWLOntology o : (Iterable<OWLOntology>) root.importsClosure()::iterator) {
                OWLDocumentFormat format = m.getOntologyFormat(o);
                if (format == null || !format.getOntologyLoaderMetaData().isPresent()) {
                    continue;
                }
                for (RDFTriple t : (Iterable<RDFTriple>) format.getOntologyLoaderMetaData().get().getUnparsedTriples()::iterator) {
                    System.out.println("unparsed\t" + t);
                    unparsed++;
                }
            }
        } catch (Exception e) {
            System.out.println("error\t" + e.toString().replace('\n', ' '));
            violations++;
        }
        for (IRI iri : mapper.refused) {
            System.out.println("fetch\t" + iri);
        }
        System.out.println("summary\t" + path + "\t" + violations + "\t" + unparsed + "\t" + mapper.refused.size() + sizes);
    }

    private static void save(CatalogMapper mapper, String in, String out) throws Exception {
        OWLOntologyManager m = manager(mapper);
        OWLOntology o = m.loadOntologyFromOntologyDocument(new File(in));
        if (!mapper.refused.isEmpty()) {
            throw new IllegalStateException("imports not in the catalog: " + mapper.refused);
        }
        // Protégé writes Turtle with the OWL API's own renderer, keeping the prefixes read from the file.
        TurtleDocumentFormat turtle = new TurtleDocumentFormat();
        OWLDocumentFormat read = m.getOntologyFormat(o);
        if (read != null && read.isPrefixOWLDocumentFormat()) {
            turtle.copyPrefixesFrom(read.asPrefixOWLDocumentFormat());
        }
        m.saveOntology(o, turtle, IRI.create(new File(out).getCanonicalFile()));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !(args[0].equals("check") || args[0].equals("save") && args.length == 4)) {
            System.err.println("usage: OwlDlCheck check CATALOG FILE... | save CATALOG IN OUT");
            System.exit(2);
        }
        CatalogMapper mapper = new CatalogMapper(new File(args[1]));
        if (args[0].equals("save")) {
            save(mapper, args[2], args[3]);
            return;
        }
        for (int i = 2; i < args.length; i++) {
            check(mapper, args[i]);
        }
    }
}
