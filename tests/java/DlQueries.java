import java.io.File;
import java.util.Map;
import java.util.function.Function;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.expression.OWLEntityChecker;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLAnnotationProperty;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLClassExpression;
import org.semanticweb.owlapi.model.OWLDataFactory;
import org.semanticweb.owlapi.model.OWLDataProperty;
import org.semanticweb.owlapi.model.OWLDatatype;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLNamedIndividual;
import org.semanticweb.owlapi.model.OWLObjectProperty;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.util.mansyntax.ManchesterOWLSyntaxParser;

/**
 * Parses DL queries (Manchester syntax class expressions, as typed into Protégé's DL Query tab) with
 * the OWL API, Protégé's own parser, against an ontology, and writes each as a named class so that a
 * reasoner can list its instances.
 *
 * <pre>
 *   DlQueries ONTOLOGY OUT QUERY_ONTOLOGY_IRI EXPRESSION...
 * </pre>
 *
 * OUT (RDF/XML) is the ontology QUERY_ONTOLOGY_IRI with "&lt;QUERY_ONTOLOGY_IRI#q{n}&gt; EquivalentTo EXPRESSION{n}",
 * n counted from 1. Names are
 * prefixed names with the ontology document's own prefixes (sco:State, xsd:integer) or full IRIs in
 * angle brackets; a name the ontology does not declare fails the parse, as it does in Protégé.
 */
public final class DlQueries {

    /** Resolves prefixed names and full IRIs to the ontology's entities of the asked type. */
    static final class Checker implements OWLEntityChecker {
        final OWLOntology ontology;
        final Map<String, String> prefixes;
        final OWLDataFactory df;

        Checker(OWLOntology ontology, Map<String, String> prefixes) {
            this.ontology = ontology;
            this.prefixes = prefixes;
            this.df = ontology.getOWLOntologyManager().getOWLDataFactory();
        }

        IRI resolve(String name) {
            if (name.startsWith("<") && name.endsWith(">")) {
                return IRI.create(name.substring(1, name.length() - 1));
            }
            int colon = name.indexOf(':');
            String ns = colon < 0 ? null : prefixes.get(name.substring(0, colon + 1));
            return ns == null ? null : IRI.create(ns + name.substring(colon + 1));
        }

        <T extends OWLEntity> T find(String name, Function<IRI, T> make) {
            IRI iri = resolve(name);
            if (iri == null) {
                return null;
            }
            T entity = make.apply(iri);
            return entity.isBuiltIn() || ontology.containsEntityInSignature(entity, Imports.INCLUDED) ? entity : null;
        }

        @Override public OWLClass getOWLClass(String name) { return find(name, df::getOWLClass); }
        @Override public OWLObjectProperty getOWLObjectProperty(String name) { return find(name, df::getOWLObjectProperty); }
        @Override public OWLDataProperty getOWLDataProperty(String name) { return find(name, df::getOWLDataProperty); }
        @Override public OWLNamedIndividual getOWLIndividual(String name) { return find(name, df::getOWLNamedIndividual); }
        @Override public OWLDatatype getOWLDatatype(String name) { return find(name, df::getOWLDatatype); }
        @Override public OWLAnnotationProperty getOWLAnnotationProperty(String name) {
            return find(name, df::getOWLAnnotationProperty);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: DlQueries ONTOLOGY OUT QUERY_ONTOLOGY_IRI EXPRESSION...");
            System.exit(2);
        }
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        OWLOntology o = m.loadOntologyFromOntologyDocument(new File(args[0]));
        Map<String, String> prefixes = m.getOntologyFormat(o).asPrefixOWLDocumentFormat().getPrefixName2PrefixMap();
        ManchesterOWLSyntaxParser parser = OWLManager.createManchesterParser();
        parser.setDefaultOntology(o);
        parser.setOWLEntityChecker(new Checker(o, prefixes));
        OWLOntology out = m.createOntology(IRI.create(args[2]));
        OWLDataFactory df = m.getOWLDataFactory();
        for (int i = 3; i < args.length; i++) {
            parser.setStringToParse(args[i]);
            OWLClassExpression ce = parser.parseClassExpression();
            OWLClass query = df.getOWLClass(IRI.create(args[2] + "#q" + (i - 2)));
            m.addAxiom(out, df.getOWLDeclarationAxiom(query));
            m.addAxiom(out, df.getOWLEquivalentClassesAxiom(query, ce));
        }
        m.saveOntology(out, new RDFXMLDocumentFormat(), IRI.create(new File(args[1]).getCanonicalFile()));
    }
}
